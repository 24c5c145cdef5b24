// The part of a session's transcript the index has not read yet: the bytes after the offset ingest stored
// for the file (all of it when ingest has never seen it), scanned with ingest's own line scanner and parser,
// one event per message id (the copy with the largest total, as ingest keeps). Reading stops at a deadline
// (checked after every MiB), a size cap or an event cap and then says it is partial: the status line shows
// what it has instead of waiting, and what it does with the events afterwards (a key query, the block) stays
// bounded too.
import { parseLine, totalTokens, type UsageEvent } from '../../ingest/parse-line.ts';
import { parseOversizedLine } from '../../ingest/parse-oversized-line.ts';
import { scanLines, type LineSink } from '../../ingest/scan-lines.ts';

const { openSync, fstatSync, closeSync, constants } = process.getBuiltinModule('node:fs');

export interface TranscriptTail {
  events: UsageEvent[];
  /** Reading stopped early (deadline or cap): the figures are at least these. */
  partial: boolean;
  /** The transcript could not be opened, or is no regular file (a directory, a FIFO). */
  missing: boolean;
}

export interface TailLimits {
  /** Bytes read at most. */
  maxBytes: number;
  /** Events kept at most: reading stops once as many are found (a slice may add a few thousand more). */
  maxEvents: number;
  /** The clock the deadline is checked against. */
  now: () => number;
}

/** The deadline is checked between slices: a MiB of small lines takes ~15 ms to parse. */
const SLICE_BYTES = 1 << 20;
export const MAX_TAIL_BYTES = 256 << 20;
/** A real unindexed tail holds a few hundred events; each costs ~1 µs after reading. */
export const MAX_TAIL_EVENTS = 20_000;

export function readTranscriptTail(
  path: string,
  fromOffset: number,
  deadline: number,
  limits: Partial<TailLimits> = {},
): TranscriptTail {
  const { maxBytes = MAX_TAIL_BYTES, maxEvents = MAX_TAIL_EVENTS, now = Date.now } = limits;
  let fd: number;
  try {
    // Non-blocking: opening a FIFO must not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return { events: [], partial: false, missing: true };
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    return { events: [], partial: false, missing: true };
  }
  const byKey = new Map<string, UsageEvent>();
  const take = (e: UsageEvent): void => {
    const had = byKey.get(e.key);
    if (!had || totalTokens(e) > totalTokens(had)) byKey.set(e.key, e);
  };
  const takeResult = (r: ReturnType<typeof parseLine>): boolean => {
    if (r.kind !== 'event') return false;
    take(r.event);
    for (const a of r.advisors) take(a);
    return true;
  };
  try {
    const size = fstatSync(fd).size;
    // A file shorter than the stored offset was replaced or truncated: ingest reads it again from 0, and until
    // then the index holds its old rows, so nothing of it is new here.
    const start = fromOffset <= size ? fromOffset : size;
    const end = Math.min(size, start + maxBytes);
    let pos = start;
    let partial = end < size;
    const sink = (last: boolean): LineSink => ({
      line: (bytes) => void takeResult(parseLine(bytes)),
      oversized: (head, tail) => void takeResult(parseOversizedLine(head, tail)),
      // A final line without '\n' counts when it is a complete line (Claude Code may still be writing it),
      // one too long to keep whole too (judged from its head and tail, as ingest does).
      partial: (bytes) => last && takeResult(parseLine(bytes)),
      oversizedPartial: (head, tail) => last && takeResult(parseOversizedLine(head, tail)),
    });
    let span = SLICE_BYTES;
    while (pos < end) {
      if (now() >= deadline || byKey.size >= maxEvents) {
        partial = true;
        break;
      }
      const sliceEnd = Math.min(end, pos + span);
      const r = scanLines(fd, pos, sliceEnd, sink(sliceEnd === size));
      if (r.offset > pos) {
        pos = r.offset;
        span = SLICE_BYTES;
      } else if (sliceEnd === end) break;
      // One line longer than the slice: a slice twice as long, until it holds the line.
      else span *= 2;
    }
    return { events: [...byKey.values()], partial, missing: false };
  } finally {
    closeSync(fd);
  }
}
