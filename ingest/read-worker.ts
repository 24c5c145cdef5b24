// The reading half of a parallel pass (see parallel-reader.ts): runs readFile over the jobs with a store that
// forwards each commit to the writing thread instead of touching SQLite, waiting whenever the writer is
// more than the in-flight limits behind. Reports its counters and skips at the end; any crash is reported, not lost.
import { workerData, type MessagePort } from 'node:worker_threads';
import { emptySummary, readFile, type PassSummary } from './ingest-pass.ts';
import { SkipCounter } from './skip-counter.ts';
import { encodeEvents } from './event-wire.ts';
import { foldCopies } from './fold-copies.ts';
import type { FileNote, FileState, LocatedEvent, MessageStore } from './message-store.ts';
import {
  IN_FLIGHT_CHARS,
  POSTED,
  TAKEN,
  type InFlightLimits,
  type ReadJob,
  type ReaderDone,
} from './parallel-reader.ts';
import type { ScanOptions } from './scan-lines.ts';

const { port, counters } = workerData as { port: MessagePort; counters: Int32Array };
// Every module of this thread is compiled by now: write the compile cache before the pass (this module's body
// runs until the pass is over, and the thread is then terminated, which writes nothing).
process.getBuiltinModule('node:module').flushCompileCache?.();
// The jobs come as the first message: a reader may be started before its pass knows the files.
const { jobs, scan, limits, fold } = await new Promise<{
  jobs: ReadJob[];
  fold: boolean;
  scan: ScanOptions | undefined;
  limits: InFlightLimits;
}>((resolve) => port.once('message', resolve));
port.unref();

const summary: PassSummary = emptySummary();
const skips = new SkipCounter();
let posted = 0;
let bytesForwarded = 0;

function post(message: unknown): void {
  port.postMessage(message);
  posted++;
  Atomics.store(counters, POSTED, posted);
  Atomics.notify(counters, POSTED);
}

const forwardingStore = {
  commit(
    file: FileState,
    events: readonly LocatedEvent[],
    _changes: unknown,
    _now: number,
    notes: FileNote[],
  ) {
    const folded = fold ? foldCopies(events) : { events, dropped: 0 };
    // Events travel as one JSON string: much cheaper to copy between threads than many small objects.
    const json = encodeEvents(folded.events);
    for (;;) {
      const taken = Atomics.load(counters, TAKEN);
      const waiting = posted - taken;
      if (
        waiting === 0 ||
        (waiting < limits.commits && Atomics.load(counters, IN_FLIGHT_CHARS) + json.length <= limits.chars)
      )
        break;
      Atomics.wait(counters, TAKEN, taken, 1000);
    }
    Atomics.add(counters, IN_FLIGHT_CHARS, json.length);
    post({
      kind: 'commit',
      file,
      events: json,
      notes,
      bytes: summary.bytesRead - bytesForwarded,
      folded: folded.dropped,
    });
    bytesForwarded = summary.bytesRead;
    return { inserted: 0, replaced: 0, duplicates: 0 };
  },
} as unknown as MessageStore;

try {
  for (const { file, row } of jobs) {
    readFile(
      file,
      row,
      { claudeDirs: [], store: forwardingStore, ...(scan ? { scan } : {}) },
      summary,
      skips,
      Date.now,
    );
    post({ kind: 'jobDone' });
  }
  const done: ReaderDone = {
    kind: 'done',
    summary: {
      filesRead: summary.filesRead,
      filesReset: summary.filesReset,
      bytesRead: summary.bytesRead,
      lines: summary.lines,
      usageLines: summary.usageLines,
      ignoredLines: summary.ignoredLines,
      ignoredTypes: summary.ignoredTypes,
    },
    skipCounts: skips.counts,
    skipExamples: skips.examples,
    skipRecurring: skips.recurring,
  };
  post(done);
} catch (error) {
  post({ kind: 'error', message: (error as Error).stack ?? String(error) });
}
