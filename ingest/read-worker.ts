// The reading half of a parallel pass (see parallel-reader.ts): runs readFile over the jobs with a store that
// forwards each commit to the writing thread instead of touching SQLite, waiting whenever the writer is
// MAX_IN_FLIGHT commits behind. Reports its counters and skips at the end; any crash is reported, not lost.
import { workerData, type MessagePort } from 'node:worker_threads';
import { emptySummary, readFile, type PassSummary } from './ingest-pass.ts';
import { SkipCounter } from './skip-counter.ts';
import type { FileState, LocatedEvent, MessageStore } from './message-store.ts';
import { MAX_IN_FLIGHT, POSTED, TAKEN, type ReadJob, type ReaderDone } from './parallel-reader.ts';
import type { ScanOptions } from './scan-lines.ts';

const { jobs, scan, port, counters } = workerData as {
  jobs: ReadJob[];
  scan: ScanOptions | undefined;
  port: MessagePort;
  counters: Int32Array;
};

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
  commit(file: FileState, events: readonly LocatedEvent[]) {
    for (;;) {
      const taken = Atomics.load(counters, TAKEN);
      if (posted - taken < MAX_IN_FLIGHT) break;
      Atomics.wait(counters, TAKEN, taken, 1000);
    }
    // Events travel as one JSON string: much cheaper to copy between threads than many small objects.
    post({ kind: 'commit', file, events: JSON.stringify(events), bytes: summary.bytesRead - bytesForwarded });
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
    },
    skipCounts: skips.counts,
    skipExamples: skips.examples,
  };
  post(done);
} catch (error) {
  post({ kind: 'error', message: (error as Error).stack ?? String(error) });
}
