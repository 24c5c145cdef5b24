// Reads and parses files on worker threads while the calling thread writes SQLite: on two cores a big pass
// (a cold start over a GB of transcripts) takes about as long as the slowest part instead of the sum. The
// files are claimed one at a time from a shared counter, in file order, by whichever thread is free: each
// reader thread runs the same readFile as a one-thread pass, with a store that forwards each commit here,
// and the writing thread reads a file itself whenever the commit it needs next is not ready yet (so on two
// cores one reader thread and the writer share the reading). Commits are applied in the files' own order,
// so offsets, skips and dedup (whose ties go to the earlier copy) are identical to a one-thread pass. The
// caller stays synchronous: it blocks on Atomics.wait for the next commit, and a reader blocks when too many
// commits (or too many bytes of them) are waiting, which bounds memory. Each queue is deep enough to ride out
// long stretches where one side is the slower: files heavy to parse, then files with many small messages.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { FoundFile } from './discover.ts';
import type { FileNote, FileRow, FileState, LocatedEvent } from './message-store.ts';
import type { ScanOptions } from './scan-lines.ts';
import { decodeEvents } from './event-wire.ts';

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
  /** Copies the reader folded away (fold-copies.ts). */
  folded: number;
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
  /** The job each example came from (SkipCounter.exampleOrder): examples are listed in file order. */
  skipExampleOrder: number[];
  skipRecurring: string[];
}

type Message =
  | (Omit<ForwardedCommit, 'events'> & { events: string })
  | { kind: 'jobDone' }
  | ReaderDone
  | { kind: 'error'; message: string };

/** How far each reader may run ahead: commits posted and not taken yet, and their events' size in JSON
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

/** Reader threads for this machine: one per core but the writer's (which reads whenever it would wait), at
 *  least one, at most 3. */
export function readerCount(): number {
  return Math.max(1, Math.min(3, availableParallelism() - 1));
}

interface Reader {
  worker: Worker;
  port: MessagePort;
  counters: Int32Array;
  taken: number;
  done?: ReaderDone;
}

/** Reader threads started before the pass knows its files (a cold start): their ~100 ms of start-up then
 *  overlaps opening the index and finding the files. They wait for their jobs; close() stops unused ones. */
export interface ReaderPool {
  readers: Reader[];
  close(): void;
}

function startReader(): Reader {
  const counters = new Int32Array(new SharedArrayBuffer(12));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./read-worker-start.js', import.meta.url), {
    workerData: { port: port2, counters },
    transferList: [port2],
    // A small young generation: parsing makes short-lived garbage fast, and memory is bounded by design.
    resourceLimits: { maxYoungGenerationSizeMb: 8 },
  });
  worker.unref();
  return { worker, port: port1, counters, taken: 0 };
}

function stopReader(r: Reader): void {
  r.port.close();
  void r.worker.terminate();
}

export function startReaders(count = readerCount()): ReaderPool {
  const readers = Array.from({ length: Math.max(1, count) }, startReader);
  return { readers, close: () => readers.splice(0).forEach(stopReader) };
}

/** Reads job `index` on the calling thread, handing each of its commits to `deliver` in order. */
export type ReadHere = (job: ReadJob, index: number, deliver: (commit: ForwardedCommit) => void) => void;

/** The writing thread reads a file itself only when the whole file is no larger than this (a file may be read
 *  anew from 0, whatever is left of it: larger ones stay with the reader threads); and it reads ahead of the
 *  file it is writing only while the files it holds so read add up to less than HERE_AHEAD_BYTES (their
 *  commits wait in memory, and nothing is written meanwhile). */
const HERE_MAX_BYTES = 32 << 20;
const HERE_AHEAD_BYTES = 8 << 20;

export function createParallelReader(
  jobs: readonly ReadJob[],
  scan: ScanOptions | undefined,
  limits: InFlightLimits = IN_FLIGHT_LIMITS,
  readers: number | ReaderPool = readerCount(),
  /** Fold each commit's copies on the reader (a cold load only: see fold-copies.ts). */
  fold = false,
  /** How this thread reads a job itself while it would otherwise wait; without it, it never does. */
  readHere?: ReadHere,
): { next(): ForwardedCommit | ReaderDone; close(): void; readonly filesReadHere: number } {
  const wanted = typeof readers === 'number' ? readers : readers.readers.length;
  const count = Math.max(1, Math.min(wanted, jobs.length));
  // The in-flight budget is shared: memory stays bounded by the limit whatever the number of readers.
  const share: InFlightLimits = {
    commits: Math.max(1, Math.floor(limits.commits / count)),
    chars: Math.max(1, Math.floor(limits.chars / count)),
  };
  const started = typeof readers === 'number' ? [] : readers.readers.splice(0);
  for (const extra of started.splice(count)) stopReader(extra);
  const pool: Reader[] = Array.from({ length: count }, (_, r) => started[r] ?? startReader());
  // claims[0]: the next job to claim, in file order; claims[1 + j]: who claimed job j (reader r as r + 1,
  // this thread as HERE), 0 until its claimer says so.
  const claims = new Int32Array(new SharedArrayBuffer(4 * (1 + jobs.length)));
  const HERE = count + 1;
  pool.forEach((r, i) => r.port.postMessage({ jobs, claims, me: i + 1, scan, limits: share, fold }));
  let job = 0;
  // Files this thread read (ahead of the one it is writing, or that one): their commits in order, and bytes.
  const ahead = new Map<number, { commits: ForwardedCommit[]; bytes: number }>();
  let aheadBytes = 0;
  let filesReadHere = 0;
  let finished = false;

  const stop = (): void => {
    finished = true;
    for (const r of pool) stopReader(r);
  };

  /** Bookkeeping for a message taken from a reader (which may then post more). */
  function took(r: Reader, m: Message): Message {
    r.taken++;
    if (m.kind === 'commit') Atomics.sub(r.counters, IN_FLIGHT_CHARS, m.events.length);
    Atomics.store(r.counters, TAKEN, r.taken);
    Atomics.notify(r.counters, TAKEN);
    if (m.kind === 'error') {
      stop();
      throw new Error(`ingest reader thread failed: ${m.message}`);
    }
    return m;
  }

  /** The next message of one reader if it has posted one. */
  function poll(r: Reader): Message | undefined {
    const received = receiveMessageOnPort(r.port);
    return received ? took(r, received.message as Message) : undefined;
  }

  /** The next message of one reader, waiting for it. */
  function receive(r: Reader): Message {
    for (;;) {
      const m = poll(r);
      if (m) return m;
      if (Atomics.wait(r.counters, POSTED, r.taken, STALL_MS) === 'timed-out') {
        stop();
        throw new Error(`ingest reader thread sent nothing for ${STALL_MS / 1000} s`);
      }
    }
  }

  /** Claims the next unclaimed job and reads it here, when it is small enough and not too far ahead. */
  function readOneHere(): boolean {
    if (!readHere) return false;
    for (;;) {
      const k = Atomics.load(claims, 0);
      if (k >= jobs.length) return false;
      const size = jobs[k]!.file.size;
      if (size > HERE_MAX_BYTES || (k > job && aheadBytes + size > HERE_AHEAD_BYTES)) return false;
      if (Atomics.compareExchange(claims, 0, k, k + 1) !== k) continue;
      Atomics.store(claims, 1 + k, HERE);
      const commits: ForwardedCommit[] = [];
      let read = 0;
      try {
        readHere(jobs[k]!, k, (c) => {
          commits.push(c);
          read += c.bytes;
        });
      } catch (error) {
        stop();
        throw error;
      }
      ahead.set(k, { commits, bytes: read });
      aheadBytes += read;
      filesReadHere++;
      return true;
    }
  }

  function merged(): ReaderDone {
    const all = pool.map((r) => r.done!);
    const summary = { ...all[0]!.summary, ignoredTypes: Object.create(null) as Record<string, number> };
    const skipCounts: Record<string, number> = {};
    const skipExamples: string[] = [];
    const skipExampleOrder: number[] = [];
    const skipRecurring: string[] = [];
    for (const [i, d] of all.entries()) {
      if (i > 0)
        for (const k of [
          'filesRead',
          'filesReset',
          'bytesRead',
          'lines',
          'usageLines',
          'ignoredLines',
        ] as const)
          summary[k] += d.summary[k];
      for (const [k, n] of Object.entries(d.summary.ignoredTypes))
        summary.ignoredTypes[k] = (summary.ignoredTypes[k] ?? 0) + n;
      for (const [k, n] of Object.entries(d.skipCounts)) skipCounts[k] = (skipCounts[k] ?? 0) + n;
      skipExamples.push(...d.skipExamples);
      skipExampleOrder.push(...d.skipExampleOrder);
      skipRecurring.push(...d.skipRecurring);
    }
    return { kind: 'done', summary, skipCounts, skipExamples, skipExampleOrder, skipRecurring };
  }

  return {
    next(): ForwardedCommit | ReaderDone {
      if (finished) throw new Error('parallel reader: already done');
      while (job < jobs.length) {
        const owner = Atomics.load(claims, 1 + job);
        if (owner === HERE) {
          const held = ahead.get(job)!;
          const commit = held.commits.shift();
          if (commit) return commit;
          ahead.delete(job);
          aheadBytes -= held.bytes;
          job++;
          continue;
        }
        if (owner === 0) {
          // Not claimed yet (this thread reads it, unless it is large: a reader will), or claimed by a
          // reader about to say so.
          if (!readOneHere() && Atomics.wait(claims, 1 + job, 0, STALL_MS) === 'timed-out') {
            stop();
            throw new Error(`parallel reader: no reader claimed file ${job} in ${STALL_MS / 1000} s`);
          }
          continue;
        }
        const r = pool[owner - 1]!;
        // Rather than wait for the reader, read the next file here.
        const m = poll(r) ?? (readOneHere() ? undefined : receive(r));
        if (!m) continue;
        if (m.kind === 'commit') return { ...m, events: decodeEvents(m.events) };
        if (m.kind === 'jobDone') job++;
        else throw new Error(`parallel reader: unexpected ${m.kind} before the last file`);
      }
      for (const r of pool) {
        const m = receive(r);
        if (m.kind !== 'done') throw new Error(`parallel reader: unexpected ${m.kind} after the last file`);
        r.done = m;
      }
      stop();
      return merged();
    },
    /** Stops the workers early (the caller gave up, e.g. on a failing commit); a no-op once done. */
    close(): void {
      if (!finished) stop();
    },
    /** Files this thread read itself. */
    get filesReadHere() {
      return filesReadHere;
    },
  };
}
