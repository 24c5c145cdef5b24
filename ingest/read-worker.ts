// The reading half of a parallel pass (see parallel-reader.ts): claims files in turn from the shared counter
// and runs readFile over each with a store that forwards each commit to the writing thread instead of touching
// SQLite, waiting whenever the writer is more than the in-flight limits behind. Reports its counters and
// skips at the end; any crash is reported, not lost.
import { workerData, type MessagePort } from 'node:worker_threads';
import { emptySummary, readJob, type PassSummary } from './ingest-pass.ts';
import { SkipCounter } from './skip-counter.ts';
import { encodeEvents } from './event-wire.ts';
import {
  IN_FLIGHT_CHARS,
  POSTED,
  TAKEN,
  type ForwardedCommit,
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
const { jobs, claims, me, scan, limits, fold } = await new Promise<{
  jobs: ReadJob[];
  /** [next job to claim, then who claimed each job] (parallel-reader.ts). */
  claims: Int32Array;
  me: number;
  fold: boolean;
  scan: ScanOptions | undefined;
  limits: InFlightLimits;
}>((resolve) => port.once('message', resolve));
port.unref();

const summary: PassSummary = emptySummary();
const skips = new SkipCounter();
let posted = 0;

function post(message: unknown): void {
  port.postMessage(message);
  posted++;
  Atomics.store(counters, POSTED, posted);
  Atomics.notify(counters, POSTED);
}

function forward(commit: ForwardedCommit): void {
  // Events travel as one JSON string: much cheaper to copy between threads than many small objects.
  const json = encodeEvents(commit.events);
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
  post({ ...commit, events: json });
}

try {
  for (;;) {
    const j = Atomics.add(claims, 0, 1);
    if (j >= jobs.length) break;
    Atomics.store(claims, 1 + j, me);
    Atomics.notify(claims, 1 + j);
    skips.order = j;
    readJob(jobs[j]!, scan, fold, summary, skips, forward);
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
    skipExampleOrder: skips.exampleOrder,
    skipRecurring: skips.recurring,
  };
  post(done);
} catch (error) {
  post({ kind: 'error', message: (error as Error).stack ?? String(error) });
}
