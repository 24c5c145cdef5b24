// Reads and parses files on a worker thread while the calling thread writes SQLite: on two cores a big pass
// (a cold start over a GB of transcripts) takes about as long as the slower half instead of the sum. The
// worker runs the same readFile as a one-thread pass, with a store that forwards each commit here, so files,
// order, offsets and skips are identical. The caller stays synchronous: it blocks on Atomics.wait for the
// next commit, and the worker blocks when too many commits (or too many bytes of them) are waiting, which
// bounds memory. The queue is deep enough to ride out long stretches where one side is the slower: files
// heavy to parse, then files with many small messages to insert.
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { FoundFile } from './discover.ts';
import type { FileNote, FileRow, FileState, LocatedEvent } from './message-store.ts';
import type { ScanOptions } from './scan-lines.ts';

export interface ReadJob {
  file: FoundFile;
  row: FileRow | undefined;
}

export interface ForwardedCommit {
  kind: 'commit';
  file: FileState;
  events: LocatedEvent[];
  notes: FileNote[];
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
    ignoredTypes: Record<string, number>;
  };
  skipCounts: Record<string, number>;
  skipExamples: string[];
}

type Message =
  (Omit<ForwardedCommit, 'events'> & { events: string }) | ReaderDone | { kind: 'error'; message: string };

/** How far the worker may run ahead: commits posted and not taken yet, and their events' size in JSON
 *  characters. One commit is always let through, whatever its size. */
export interface InFlightLimits {
  commits: number;
  chars: number;
}
export const IN_FLIGHT_LIMITS: InFlightLimits = { commits: 1024, chars: 16 << 20 };
/** Slots in the shared counters: commits posted by the worker, commits taken here, characters in flight. */
export const POSTED = 0;
export const TAKEN = 1;
export const IN_FLIGHT_CHARS = 2;
const STALL_MS = 120_000;

export function createParallelReader(
  jobs: readonly ReadJob[],
  scan: ScanOptions | undefined,
  limits: InFlightLimits = IN_FLIGHT_LIMITS,
): { next(): ForwardedCommit | ReaderDone; close(): void } {
  const counters = new Int32Array(new SharedArrayBuffer(12));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./read-worker.ts', import.meta.url), {
    workerData: { jobs, scan, limits, port: port2, counters },
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
          const m = received.message as Message;
          taken++;
          if (m.kind === 'commit') Atomics.sub(counters, IN_FLIGHT_CHARS, m.events.length);
          Atomics.store(counters, TAKEN, taken);
          Atomics.notify(counters, TAKEN);
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
