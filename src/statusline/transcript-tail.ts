// The part of a session's transcript the index has not read yet: the bytes after the offset ingest stored
// for the file (all of it when ingest has never seen it), scanned with ingest's own line scanner and parser,
// one event per message id (the copy with the largest total, as ingest keeps). Reading stops at a deadline
// or a size cap and then says it is partial: the status line shows what it has instead of waiting.
import { parseLine, totalTokens, type UsageEvent } from '../../ingest/parse-line.ts';
import { parseOversizedLine } from '../../ingest/parse-oversized-line.ts';
import { scanLines, type LineSink } from '../../ingest/scan-lines.ts';

const { openSync, fstatSync, closeSync } = process.getBuiltinModule('node:fs');

export interface TranscriptTail {
  events: UsageEvent[];
  /** Reading stopped early (deadline or cap): the figures are at least these. */
  partial: boolean;
  /** The transcript could not be opened. */
  missing: boolean;
}

const SLICE_BYTES = 8 << 20;
export const MAX_TAIL_BYTES = 256 << 20;

export function readTranscriptTail(
  path: string,
  fromOffset: number,
  deadline: number,
  maxBytes = MAX_TAIL_BYTES,
): TranscriptTail {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
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
      // A final line without '\n' counts when it is a complete line (Claude Code may still be writing it).
      partial: (bytes) => last && takeResult(parseLine(bytes)),
    });
    while (pos < end) {
      if (Date.now() >= deadline) {
        partial = true;
        break;
      }
      const sliceEnd = Math.min(end, pos + SLICE_BYTES);
      let r = scanLines(fd, pos, sliceEnd, sink(sliceEnd === size));
      // One line longer than a slice: read it in one go.
      if (r.offset === pos && sliceEnd < end) r = scanLines(fd, pos, end, sink(end === size));
      if (r.offset === pos) break;
      pos = r.offset;
    }
    return { events: [...byKey.values()], partial, missing: false };
  } finally {
    closeSync(fd);
  }
}
