// One ingest pass: find files, skip the unchanged ones by (dev, inode, size, mtime), read only the new bytes
// of the rest, and commit each file's events with its new offset. A file that shrank, was replaced or whose
// first bytes changed is re-read from 0 (dedup makes that safe). Files that vanished keep their rows.
import { openSync, closeSync, readSync, fstatSync } from 'node:fs';
import { hash as digest } from 'node:crypto';
import { basename, dirname } from 'node:path';
import { discover, type FoundFile } from './discover.ts';
import { parseLine, type LineResult } from './parse-line.ts';
import { parseOversizedLine } from './parse-oversized-line.ts';
import { scanLines, SEAM_BYTES, type ScanOptions } from './scan-lines.ts';
import { lineType, quickLineType } from './line-type.ts';
import { ChangeSet } from '../src/db/change-set.ts';
import { inFileOrder, SkipCounter } from './skip-counter.ts';
import type { FileNote, LocatedEvent, MessageStore, FileRow, FileState } from './message-store.ts';
import { foldCopies } from './fold-copies.ts';
import {
  createParallelReader,
  type ForwardedCommit,
  type ReaderPool,
  type InFlightLimits,
  type ReadJob,
  type ReaderDone,
} from './parallel-reader.ts';

const HEAD_BYTES = 4096;
/** Marker lines of these types (or of a type not read from the bytes) are parsed; the rest are counted. */
const PARSED_TYPES = new Set(['assistant', 'cost-state', '(none)']);
const SLICE_BYTES = 64 << 20;
const BATCH_BYTES = 32 << 20;
/** Counted per file in a batch's size, so batches of tiny files stay short too. */
const BATCH_FILE_COST = 16 << 10;
const PARALLEL_BYTES = 64 << 20;

export interface PassSummary {
  startedAt: number;
  finishedAt: number;
  filesScanned: number;
  filesRead: number;
  filesReset: number;
  filesMissing: number;
  bytesRead: number;
  lines: number;
  usageLines: number;
  newMessages: number;
  replacedMessages: number;
  duplicateLines: number;
  ignoredLines: number;
  /** Lines ignored by their top-level type (user, summary, attachment, …): never bad lines. */
  ignoredTypes: Record<string, number>;
  skipped: Record<string, number>;
  skippedExamples: string[];
  /** The skips a later pass meets again while their cause lasts (skip-counter.ts), as `where (reason)`. */
  recurringSkips: string[];
  /** Skips no earlier pass told of: every one of them here; the ingester takes out the recurring ones it has
   * warned of already (ingester.ts). */
  newSkips: number;
  /** .jsonl files found that are not transcripts (discover.ts): not read, and no problem. */
  ignoredFiles: number;
  usableDirs: string[];
  changes: ChangeSet;
}

/** How far a pass has got: files and new bytes to read (known once files are found), messages so far. */
export interface PassProgress {
  files: number;
  filesDone: number;
  bytes: number;
  bytesDone: number;
  newMessages: number;
}

export interface PassOptions {
  claudeDirs: readonly string[];
  store: MessageStore;
  /** Only look at these paths (watch mode); every file when absent. */
  paths?: ReadonlySet<string>;
  now?: () => number;
  /** Called after each file's commit with what it changed. */
  onCommit?: (changes: ChangeSet) => void;
  /** Called once the files to read are known and after each file read (callers throttle what they show). */
  onProgress?: (progress: PassProgress) => void;
  /** Line-length limits for scanLines (tests shrink them to exercise the oversized path). */
  scan?: ScanOptions;
  /** New bytes from which a second thread reads and parses while this one writes (Infinity: never). */
  parallelBytes?: number;
  /** How far the reader threads may run ahead of this one (tests shrink it to exercise the waits). */
  inFlight?: InFlightLimits;
  /** New bytes per commit batch (tests shrink it to see batches commit); a cold load is one batch. */
  batchBytes?: number;
  /** Reader threads of a parallel pass (default: the cores but one, at least one, at most three), or threads
   *  already started for it. */
  readers?: number | ReaderPool;
  /** Whether this thread also reads files on a parallel pass, whenever the commit it needs next is not ready
   *  (default true; tests turn it off to send every file through a reader thread). */
  writerReads?: boolean;
}

/** One head buffer per thread: hashing is synchronous and nothing keeps a view of it. */
const head = Buffer.allocUnsafe(HEAD_BYTES);

/** `<bytes hashed>:<sha1 of the file's first HEAD_BYTES>`, how a file is told from a rewrite of it. */
export function headHash(fd: number, length: number): string {
  const want = Math.min(HEAD_BYTES, length);
  const n = want > 0 ? readSync(fd, head, 0, want, 0) : 0;
  return `${n}:${digest('sha1', head.subarray(0, n), 'hex')}`;
}

const seamRead = Buffer.alloc(SEAM_BYTES);

/** Whether the bytes before a file's stored offset are the ones stored with it (true when none were). */
function seamIntact(fd: number, row: FileRow): boolean {
  if (!row.seam) return true;
  const want = Buffer.from(row.seam, 'hex');
  if (want.length > row.offset) return false;
  const n = readSync(fd, seamRead, 0, want.length, row.offset - want.length);
  return n === want.length && seamRead.subarray(0, n).equals(want);
}

/** Session id from the path when a line lacks one: <session>.jsonl, <session>/subagents/agent-x.jsonl, or
 *  <session>/subagents/workflows/<id>/agent-x.jsonl. */
export function sessionFromPath(path: string): string {
  const dir = dirname(path);
  if (basename(dir) === 'subagents') return basename(dirname(dir));
  const workflows = dirname(dir);
  if (basename(workflows) === 'workflows' && basename(dirname(workflows)) === 'subagents')
    return basename(dirname(dirname(workflows)));
  return basename(path, '.jsonl');
}

export function addCounts(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
}

export function agentFromPath(path: string): string | null {
  const m = /^agent-(.+)\.jsonl$/.exec(basename(path));
  return m ? m[1]! : null;
}

function needsRead(found: FoundFile, row: FileRow | undefined): boolean {
  if (!row) return true;
  return (
    row.size !== found.size ||
    row.mtimeMs !== found.mtimeMs ||
    row.dev !== found.dev ||
    row.ino !== found.ino ||
    row.missingSince !== null
  );
}

export function emptySummary(startedAt = 0): PassSummary {
  return {
    startedAt,
    finishedAt: startedAt,
    filesScanned: 0,
    filesRead: 0,
    filesReset: 0,
    filesMissing: 0,
    bytesRead: 0,
    lines: 0,
    usageLines: 0,
    newMessages: 0,
    replacedMessages: 0,
    duplicateLines: 0,
    ignoredLines: 0,
    // Keyed by whatever type a line names ("constructor", "__proto__"): no prototype to collide with.
    ignoredTypes: Object.create(null) as Record<string, number>,
    skipped: {},
    skippedExamples: [],
    recurringSkips: [],
    newSkips: 0,
    ignoredFiles: 0,
    usableDirs: [],
    changes: new ChangeSet(),
  };
}

export function runPass(options: PassOptions): PassSummary {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const found = discover(options.claudeDirs);
  const known = options.store.files();
  const skips = new SkipCounter();
  for (const { path, reason } of found.problemPaths) skips.add(reason, path, 1, true);
  const summary: PassSummary = {
    ...emptySummary(startedAt),
    filesScanned: found.files.length,
    ignoredFiles: found.ignored,
    usableDirs: found.usableDirs,
  };

  const present = new Set<string>();
  const toRead: ReadJob[] = [];
  for (const file of found.files) {
    present.add(file.path);
    if (options.paths && !options.paths.has(file.path)) continue;
    const row = known.get(file.path);
    if (needsRead(file, row)) toRead.push({ file, row });
  }
  // Files are committed in batches: one SQLite commit per batch instead of per file (each commit rewrites
  // every index page it touched). A file's rows and its offset are still in the same transaction, and
  // onCommit hears of a file's changes only once they are committed.
  const pending = toRead.reduce((n, { file, row }) => n + Math.max(0, file.size - (row?.offset ?? 0)), 0);
  const progress: PassProgress = {
    files: toRead.length,
    filesDone: 0,
    bytes: pending,
    bytesDone: 0,
    newMessages: 0,
  };
  options.onProgress?.({ ...progress });
  if (pending >= (options.parallelBytes ?? PARALLEL_BYTES)) {
    // A cold load (an empty index) is one transaction: it is redone from the start if killed, and each
    // commit rewrote the pages of the key index that every batch touches (a tenth of the writer's time at
    // 1 GB). Its usage_daily is summed when bulk() ends: its commits are told of then, as one change set
    // (the pass's own, which a cold load's commits write into directly).
    let cold = false;
    try {
      options.store.bulk((empty) => {
        cold = empty;
        readInParallel(toRead, options, summary, skips, progress, cold);
      });
    } finally {
      if (cold && summary.changes.size > 0) options.onCommit?.(summary.changes);
    }
  }
  let next = pending >= (options.parallelBytes ?? PARALLEL_BYTES) ? toRead.length : 0;
  while (next < toRead.length) {
    const committed: ChangeSet[] = [];
    const batchOptions: PassOptions = {
      ...options,
      onCommit: (changes) => committed.push(changes),
    };
    let batchBytes = 0;
    options.store.batch(() => {
      while (next < toRead.length && batchBytes < (options.batchBytes ?? BATCH_BYTES)) {
        const { file, row } = toRead[next++]!;
        batchBytes += Math.max(0, file.size - (row?.offset ?? 0)) + BATCH_FILE_COST;
        readFile(file, row, batchOptions, summary, skips, now);
        if (options.onProgress) {
          progress.filesDone = next;
          progress.bytesDone = summary.bytesRead;
          progress.newMessages = summary.newMessages;
          options.onProgress({ ...progress });
        }
      }
    });
    if (options.onCommit) for (const changes of committed) options.onCommit(changes);
  }
  if (!options.paths) {
    const gone = [...known.values()]
      .filter((r) => r.missingSince === null && !present.has(r.path))
      .map((r) => r.path);
    if (gone.length > 0) options.store.markMissing(gone, now());
    summary.filesMissing = gone.length;
  }
  summary.skipped = skips.counts;
  summary.skippedExamples = skips.examples;
  summary.recurringSkips = skips.recurring;
  summary.newSkips = skips.total;
  summary.finishedAt = now();
  return summary;
}

/** The same reads as the one-thread loop, parsed on a worker thread; commits are applied here, in order. */
function readInParallel(
  jobs: ReadJob[],
  options: PassOptions,
  summary: PassSummary,
  skips: SkipCounter,
  progress: PassProgress,
  /** An empty index: one batch, the readers fold each commit's copies, and the commits write their changes
   *  into the pass's change set (told of by the caller once the load is in). */
  cold: boolean,
): void {
  const batchLimit = cold ? Infinity : (options.batchBytes ?? BATCH_BYTES);
  const now = options.now ?? Date.now;
  let lastPath: string | undefined;
  // What this thread reads itself (whenever the commit it needs next is not ready) is counted apart and
  // added in with the readers' counts at the end.
  const here = emptySummary();
  const hereSkips = new SkipCounter();
  const reader = createParallelReader(
    jobs,
    options.scan,
    options.inFlight,
    options.readers,
    cold,
    options.writerReads === false
      ? undefined
      : (job, index, deliver) => {
          hereSkips.order = index;
          readJob(job, options.scan, cold, here, hereSkips, deliver);
        },
  );
  const state: { done?: ReaderDone } = {};
  // The worker stops with the pass, also when a commit fails half way.
  try {
    while (!state.done) {
      const committed: ChangeSet[] = [];
      let batchBytes = 0;
      options.store.batch(() => {
        while (batchBytes < batchLimit) {
          const m = reader.next();
          if (m.kind === 'done') {
            state.done = m;
            return;
          }
          batchBytes += m.bytes + BATCH_FILE_COST;
          // A failing commit is the database's problem (full, read-only, corrupt), not the file's: it ends the
          // pass, as in readFile.
          const changes = cold ? summary.changes : new ChangeSet();
          const r = options.store.commit(m.file, m.events, changes, now(), m.notes, m.folded);
          summary.newMessages += r.inserted;
          summary.replacedMessages += r.replaced;
          summary.duplicateLines += r.duplicates;
          if (!cold && changes.size > 0) {
            summary.changes.merge(changes);
            committed.push(changes);
          }
          if (options.onProgress) {
            // A long file comes in several slices, one after the other.
            if (m.file.path !== lastPath) progress.filesDone++;
            lastPath = m.file.path;
            progress.bytesDone += m.bytes;
            progress.newMessages = summary.newMessages;
            options.onProgress({ ...progress });
          }
        }
      });
      if (options.onCommit) for (const changes of committed) options.onCommit(changes);
    }
  } finally {
    reader.close();
  }
  const done = state.done!;
  for (const d of [done.summary, here]) {
    summary.filesRead += d.filesRead;
    summary.filesReset += d.filesReset;
    summary.bytesRead += d.bytesRead;
    summary.lines += d.lines;
    summary.usageLines += d.usageLines;
    summary.ignoredLines += d.ignoredLines;
    addCounts(summary.ignoredTypes, d.ignoredTypes);
  }
  for (const counts of [done.skipCounts, hereSkips.counts])
    for (const [reason, n] of Object.entries(counts)) skips.add(reason, undefined, n);
  const examples = inFileOrder([
    { examples: done.skipExamples, order: done.skipExampleOrder },
    { examples: hereSkips.examples, order: hereSkips.exampleOrder },
  ]);
  for (const example of examples) if (skips.examples.length < skips.maxExamples) skips.examples.push(example);
  skips.recurring.push(...done.skipRecurring, ...hereSkips.recurring);
}

/** Reads one job as a reader thread does: each commit's events (a cold load's copies folded: see
 *  fold-copies.ts) go to `deliver`, with the bytes scanned for them, instead of into a store. */
export function readJob(
  { file, row }: ReadJob,
  scan: ScanOptions | undefined,
  fold: boolean,
  summary: PassSummary,
  skips: SkipCounter,
  deliver: (commit: ForwardedCommit) => void,
): void {
  let bytesBefore = summary.bytesRead;
  const forwarding = {
    commit(
      file: ForwardedCommit['file'],
      events: readonly LocatedEvent[],
      _c: unknown,
      _n: unknown,
      notes?: FileNote[],
    ) {
      const folded = fold ? foldCopies(events) : { events, dropped: 0 };
      deliver({
        kind: 'commit',
        file,
        events: folded.events as LocatedEvent[],
        notes: notes ?? [],
        bytes: summary.bytesRead - bytesBefore,
        folded: folded.dropped,
      });
      bytesBefore = summary.bytesRead;
      return { inserted: 0, replaced: 0, duplicates: 0 };
    },
  } as unknown as MessageStore;
  readFile(
    file,
    row,
    { claudeDirs: [], store: forwarding, ...(scan ? { scan } : {}) },
    summary,
    skips,
    Date.now,
  );
}

/** A file that vanished is gone for good; one that cannot be read is tried, and skipped, on every pass. */
function skipUnreadable(skips: SkipCounter, error: unknown, path: string): void {
  const vanished = (error as NodeJS.ErrnoException).code === 'ENOENT';
  skips.add(vanished ? 'file_vanished' : 'file_unreadable', path, 1, !vanished);
}

export function readFile(
  file: FoundFile,
  row: FileRow | undefined,
  options: PassOptions,
  summary: PassSummary,
  skips: SkipCounter,
  now: () => number,
): void {
  let fd: number;
  try {
    fd = openSync(file.path, 'r');
  } catch (error) {
    skipUnreadable(skips, error, file.path);
    return;
  }
  try {
    const st = fstatSync(fd);
    const size = st.size;
    let offset = row?.offset ?? 0;
    let lineCount = row?.lineCount ?? 0;
    let seam = row?.seam ?? null;
    const hash = headHash(fd, size);
    if (row) {
      const sameFile = row.dev === st.dev && row.ino === st.ino;
      const storedLen = Number(row.headHash?.split(':')[0] ?? 0);
      const sameHead = row.headHash === null || headHash(fd, storedLen) === row.headHash || storedLen > size;
      // Shrinking below the last size seen is a rewrite even when the file still reaches the offset; so is a
      // new mtime at the same size (an in-place rewrite beyond the hashed head: appends change the size).
      const rewrittenInPlace = size === row.size && st.mtimeMs !== row.mtimeMs && row.offset >= size;
      // Rewritten in place and grown, the head kept: the bytes before the offset are no longer the same.
      const seamMoved = sameFile && size >= row.size && !seamIntact(fd, row);
      if (!sameFile || size < row.size || !sameHead || rewrittenInPlace || seamMoved) {
        offset = 0;
        lineCount = 0;
        seam = null;
        summary.filesReset++;
      }
    }
    /** The file as the index is to remember it, at the offset read so far. */
    const state = (): FileState => ({
      ...file,
      size,
      dev: st.dev,
      ino: st.ino,
      mtimeMs: st.mtimeMs,
      offset,
      headHash: hash,
      seam,
      lineCount,
    });
    if (offset >= size && row && row.size === size) {
      // Nothing moved but the file's return (it was missing): remember it so the next pass skips it.
      options.store.commit(state(), [], new ChangeSet(), now());
      return;
    }
    summary.filesRead++;
    const sessionFallback = sessionFromPath(file.path);
    const agentFallback = agentFromPath(file.path);

    while (offset < size || (offset === size && !row)) {
      const sliceStart = offset;
      const sliceEnd = Math.min(size, offset + SLICE_BYTES);
      const events: LocatedEvent[] = [];
      const notes: FileNote[] = [];
      let usageLines = 0;
      const ignored = (type: string): void => {
        summary.ignoredLines++;
        summary.ignoredTypes[type] = (summary.ignoredTypes[type] ?? 0) + 1;
      };
      // Every line parsed is a usage line here, whatever it turns out to be (other types are counted by type).
      const take = (result: LineResult, lineNo: number): void => {
        usageLines++;
        if (result.kind === 'event') {
          const e = result.event;
          const located = {
            lineNo,
            sessionId: e.sessionId ?? sessionFallback,
            agentId: e.agentId ?? (e.isSidechain ? agentFallback : null),
          };
          events.push({ event: e, ...located });
          for (const advisor of result.advisors) events.push({ event: advisor, ...located });
        } else if (result.kind === 'skipped') {
          skips.add(result.reason, `${file.path}:${lineNo}`);
        } else if (result.kind === 'costState') {
          const sessionId = result.costState.sessionId ?? sessionFallback;
          notes.push({ kind: 'costState', lineNo, sessionId, costState: result.costState });
        } else if (result.kind === 'limitHit') {
          const sessionId = result.limitHit.sessionId ?? sessionFallback;
          notes.push({ kind: 'limitHit', lineNo, sessionId, limitHit: result.limitHit });
        } else ignored(result.type);
      };
      const scan = (end: number) =>
        scanLines(
          fd,
          offset,
          end,
          {
            // Only assistant and cost-state lines are parsed (progress lines carry copies of subagent
            // lines, counted from the subagent's own file). Assistant lines put their type after the
            // message, so a type not read at a glance is parsed rather than walked.
            line: (bytes, n) => {
              const type = quickLineType(bytes, 0, bytes.length);
              if (type === undefined || PARSED_TYPES.has(type)) take(parseLine(bytes), lineCount + n);
              else ignored(type);
            },
            oversized: (head, tail, n) => take(parseOversizedLine(head, tail), lineCount + n),
            other: (bytes, start, end, n) => {
              const type = lineType(bytes, start, end);
              if (type === 'cost-state' || type === 'assistant')
                take(parseLine(bytes.subarray(start, end)), lineCount + n);
              else ignored(type);
            },
            // A complete final line over maxLineBytes without its newline counts now; one still being
            // written (its tail not the end of the object) waits for the rest.
            oversizedPartial: (head, tail, n) => {
              if (end !== size) return false;
              const result = parseOversizedLine(head, tail);
              // Unreadable from head and tail: maybe not all written yet. Any other verdict read it to its end.
              if (result.kind === 'skipped' && result.reason === 'oversized_unparsed') return false;
              take(result, lineCount + n);
              return true;
            },
            partial: (bytes, n) => {
              if (end !== size) return false;
              const result = parseLine(bytes);
              if (
                result.kind === 'skipped' &&
                (result.reason === 'invalid_json' || result.reason === 'invalid_utf8')
              )
                return false;
              take(result, lineCount + n);
              return true;
            },
          },
          options.scan,
        );
      let result = scan(sliceEnd);
      if (result.offset === offset && sliceEnd < size) result = scan(size); // one line longer than a slice
      summary.bytesRead += result.bytes;
      summary.lines += result.lines;
      summary.usageLines += usageLines;
      if (result.offset > offset) seam = result.seam.toString('hex');
      offset = result.offset;
      lineCount += result.lines;
      const changes = new ChangeSet();
      const committed = options.store.commit(state(), events, changes, now(), notes);
      summary.newMessages += committed.inserted;
      summary.replacedMessages += committed.replaced;
      summary.duplicateLines += committed.duplicates;
      if (changes.size > 0) {
        summary.changes.merge(changes);
        options.onCommit?.(changes);
      }
      if (result.offset === sliceStart || offset >= size) break;
    }
  } catch (error) {
    // Only file system errors (they name a syscall) are the file's; a failing SQLite commit ends the pass.
    if (!(error as NodeJS.ErrnoException).syscall) throw error;
    skipUnreadable(skips, error, file.path);
  } finally {
    closeSync(fd);
  }
}
