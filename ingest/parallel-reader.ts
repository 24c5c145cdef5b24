// Reads and parses files on a worker thread while the calling thread writes SQLite: on two cores a big pass
// (a cold start over a GB of transcripts) takes about as long as the slower half instead of the sum. The
// worker runs the same readFile as a one-thread pass, with a store that forwards each commit here, so files,
// order, offsets and skips are identical. The caller stays synchronous: it blocks on Atomics.wait for the
// next commit, and the worker blocks when too many commits are waiting, which bounds memory.
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { FoundFile } from './discover.ts';
import type { FileRow, FileState, LocatedEvent } from './message-store.ts';
import type { ScanOptions } from './scan-lines.ts';

export interface ReadJob {
  file: FoundFile;
  row: FileRow | undefined;
}

export interface ForwardedCommit {
  kind: 'commit';
  file: FileState;
  events: LocatedEvent[];
  /** File bytes scanned for this commit. */
  bytes: number;
}

export interface ReaderDone {
  kind: 'done';
  summary: {
    filesRead: number;
    filesReset: number;
    bytesRead: number;
    lines: number;
    usageLines: number;
    ignoredLines: number;
  };
  skipCounts: Record<string, number>;
  skipExamples: string[];
}

type Message =
  (Omit<ForwardedCommit, 'events'> & { events: string }) | ReaderDone | { kind: 'error'; message: string };

/** Commits the worker may have posted that this side has not taken yet. */
export const MAX_IN_FLIGHT = 4;
/** Slots in the shared counters: commits posted by the worker, commits taken here. */
export const POSTED = 0;
export const TAKEN = 1;
const STALL_MS = 120_000;

export function createParallelReader(
  jobs: readonly ReadJob[],
  scan: ScanOptions | undefined,
): { next(): ForwardedCommit | ReaderDone; close(): void } {
  const counters = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./read-worker.ts', import.meta.url), {
    workerData: { jobs, scan, port: port2, counters },
    transferList: [port2],
    // A small young generation: parsing makes short-lived garbage fast, and memory is bounded by design.
    resourceLimits: { maxYoungGenerationSizeMb: 8 },
  });
  worker.unref();
  let taken = 0;
  let finished = false;
  return {
    next(): ForwardedCommit | ReaderDone {
      if (finished) throw new Error('parallel reader: already done');
      for (;;) {
        const received = receiveMessageOnPort(port1);
        if (received) {
          taken++;
          Atomics.store(counters, TAKEN, taken);
          Atomics.notify(counters, TAKEN);
          const m = received.message as Message;
          if (m.kind === 'error') {
            finished = true;
            void worker.terminate();
            throw new Error(`ingest reader thread failed: ${m.message}`);
          }
          if (m.kind === 'commit') return { ...m, events: JSON.parse(m.events) as LocatedEvent[] };
          finished = true;
          port1.close();
          void worker.terminate();
          return m;
        }
        if (Atomics.wait(counters, POSTED, taken, STALL_MS) === 'timed-out') {
          finished = true;
          void worker.terminate();
          throw new Error(`ingest reader thread sent nothing for ${STALL_MS / 1000} s`);
        }
      }
    },
    /** Stops the worker early (the caller gave up, e.g. on a failing commit); a no-op once done. */
    close(): void {
      if (finished) return;
      finished = true;
      port1.close();
      void worker.terminate();
    },
  };
}
