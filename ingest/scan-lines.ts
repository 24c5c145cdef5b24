// Streams a file from a byte offset and hands over only the lines that can hold usage. A byte-level
// prefilter finds the `"usage"` marker, so lines without it (tool output, user prompts — most of the bytes)
// are never decoded or parsed; they are offered to `other` as bytes, to be told apart by their type. Memory
// stays bounded whatever the line length: a line longer than `maxLineBytes` (4 MiB) is kept as head + tail
// only. A last line without '\n' is offered as `partial`; the caller decides whether it is complete JSON
// (consume) or still being written (wait).
import { readSync } from 'node:fs';

/** A line without it holds no usage (spaced JSON too: `"usage": {`). One marker: each is a pass over the bytes. */
export const USAGE_MARKER = Buffer.from('"usage"');

/** Whether `bytes` holds the marker at or after `from`. */
export function hasMarker(bytes: Buffer, from = 0): boolean {
  return bytes.indexOf(USAGE_MARKER, from) >= 0;
}

export interface LineSink {
  /** A complete line that holds the marker. Return value is ignored. */
  line(bytes: Buffer, lineNo: number): void;
  /** A marker line too long to keep whole. */
  oversized(head: Buffer, tail: Buffer, lineNo: number): void;
  /** The final bytes of the file without '\n' holding the marker: return true when they were consumed. */
  partial(bytes: Buffer, lineNo: number): boolean;
  /** The same for a final line too long to keep whole (its head and tail): true when it was consumed. */
  oversizedPartial?(head: Buffer, tail: Buffer, lineNo: number): boolean;
  /** A complete line without a marker, as bytes[start, end) (only its head when it was too long to keep). */
  other?(bytes: Buffer, start: number, end: number, lineNo: number): void;
}

export interface ScanResult {
  /** Byte offset after the last line consumed. */
  offset: number;
  /** Lines consumed (complete lines, blank ones included). */
  lines: number;
  bytes: number;
  /** The file's SEAM_BYTES before offset (fewer when offset is smaller) when lines were consumed, empty when
   * none were: what a later pass checks is still there before reading on. Valid until the next scan. */
  seam: Buffer;
}

export const SEAM_BYTES = 64;
const seamBuffer = Buffer.alloc(SEAM_BYTES);

export interface ScanOptions {
  chunkBytes?: number;
  maxLineBytes?: number;
  keepBytes?: number;
}

let shared: Buffer = Buffer.alloc(0);
const EMPTY = Buffer.alloc(0);
let seamLength = 0;

/** Keeps the bytes before `end` in `from` (up to SEAM_BYTES) as the seam of the offset after them. */
function keepSeam(from: Buffer, end: number): void {
  seamLength = Math.min(SEAM_BYTES, end);
  from.copy(seamBuffer, 0, end - seamLength, end);
}

export function scanLines(
  fd: number,
  start: number,
  end: number,
  sink: LineSink,
  options: ScanOptions = {},
): ScanResult {
  const chunkBytes = options.chunkBytes ?? 1 << 20;
  const maxLineBytes = options.maxLineBytes ?? 4 << 20;
  const keepBytes = options.keepBytes ?? 1 << 20;
  // One read buffer for every call (scanning is synchronous and no view of it outlives a call): allocating
  // a fresh megabyte per file cost more than reading small files. A line that goes on past a read is moved
  // to the buffer's start and the next read lands right after it, so its bytes are copied once, not kept as
  // pieces and joined; the buffer grows to hold a line of up to maxLineBytes (and keeps that size).
  if (shared.length < chunkBytes) shared = Buffer.allocUnsafe(chunkBytes);
  let buf = shared;
  const markerLength = USAGE_MARKER.length;
  const other = sink.other;

  let pos = start; // file position of the next read
  let consumed = start; // offset after last consumed line
  let lines = 0;
  // buf[0, carry): the start of a line begun before the last read ('\n' is not in it), with the marker at
  // carryMarker (-1: not in it).
  let carry = 0;
  let carryMarker = -1;
  // A line longer than maxLineBytes: its head, and from then on a rolling tail (the middle is not kept).
  let head: Buffer | undefined;
  // The rolling tail of an oversized line: one buffer of keepBytes, its last tailLen bytes in use.
  let tail: Buffer | undefined;
  let tailLen = 0;
  // Whether an oversized line held the marker anywhere, also in the middle that is not kept.
  let markerSeen = false;
  // An oversized line's last straddleLen bytes (fewer than a marker's length), then the next read's first: a
  // marker across two reads is found even when the kept tail is shorter than the marker.
  const straddle = Buffer.alloc(2 * markerLength);
  let straddleLen = 0;

  /** Appends bytes to the rolling tail without allocating: the tail keeps the last keepBytes of the line. */
  const pushTail = (piece: Buffer): void => {
    const t = tail!;
    if (piece.length >= t.length) {
      piece.copy(t, 0, piece.length - t.length);
      tailLen = t.length;
      return;
    }
    const keep = Math.min(tailLen, t.length - piece.length);
    t.copyWithin(t.length - piece.length - keep, t.length - keep);
    piece.copy(t, t.length - piece.length);
    tailLen = keep + piece.length;
  };

  /** More of an oversized line: the marker looked for in it and across the straddle with what came before. */
  const addToOversized = (piece: Buffer): void => {
    if (!markerSeen) {
      const after = Math.min(piece.length, markerLength - 1);
      piece.copy(straddle, straddleLen, 0, after);
      markerSeen = hasMarker(piece) || hasMarker(straddle.subarray(0, straddleLen + after));
      rememberStraddle(piece);
    }
    pushTail(piece);
  };

  /** Keeps the line's last bytes (up to a marker's length less one) in straddle, piece[0, after) already there. */
  const rememberStraddle = (piece: Buffer): void => {
    if (piece.length >= markerLength - 1) {
      piece.copy(straddle, 0, piece.length - (markerLength - 1));
      straddleLen = markerLength - 1;
      return;
    }
    const total = straddleLen + piece.length;
    straddleLen = Math.min(total, markerLength - 1);
    straddle.copyWithin(0, total - straddleLen, total);
  };

  while (pos < end) {
    if (head === undefined && buf.length - carry < chunkBytes) {
      const bigger = Buffer.allocUnsafe(
        Math.max(carry + chunkBytes, Math.min(2 * buf.length, maxLineBytes + chunkBytes)),
      );
      buf.copy(bigger, 0, 0, carry);
      buf = shared = bigger;
    }
    const n = readSync(fd, buf, carry, Math.min(chunkBytes, end - pos), pos);
    if (n <= 0) break;
    const base = pos - carry; // file position of buf[0]
    pos += n;
    const chunk = buf.subarray(0, carry + n);
    let lineStart = 0;
    if (head !== undefined) {
      // An oversized line goes on to the first '\n'.
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        addToOversized(chunk);
        continue;
      }
      lines++;
      addToOversized(chunk.subarray(0, nl));
      if (markerSeen) sink.oversized(head, tail!.subarray(tail!.length - tailLen), lines);
      else other?.(head, 0, head.length, lines);
      head = undefined;
      tail = undefined;
      tailLen = 0;
      markerSeen = false;
      lineStart = nl + 1;
      consumed = base + lineStart;
    }
    // The carried bytes were searched already: for '\n' all of them, for the marker up to a seam's width.
    let from = Math.max(carry, lineStart);
    let nextMarker =
      carryMarker >= 0
        ? carryMarker
        : chunk.indexOf(USAGE_MARKER, Math.max(lineStart, carry - markerLength + 1));
    carry = 0;
    carryMarker = -1;
    for (;;) {
      const nl = chunk.indexOf(10, from);
      if (nl < 0) break;
      lines++;
      if (nextMarker >= 0 && nextMarker < nl) {
        sink.line(chunk.subarray(lineStart, nl), lines);
      } else if (other && nl > lineStart) {
        other(chunk, lineStart, nl, lines);
      }
      lineStart = from = nl + 1;
      consumed = base + lineStart;
      if (nextMarker >= 0 && nextMarker < lineStart) nextMarker = chunk.indexOf(USAGE_MARKER, lineStart);
    }
    // Lines ended in this read (lineStart past 0): the bytes before the new offset are here.
    if (lineStart > 0) keepSeam(chunk, lineStart);
    if (lineStart === chunk.length) continue;
    // A line going on past this read: nextMarker is its marker, if it has one yet (-1 or at/after lineStart).
    const rest = chunk.length - lineStart;
    if (rest <= maxLineBytes) {
      if (lineStart > 0) buf.copyWithin(0, lineStart, chunk.length);
      carry = rest;
      carryMarker = nextMarker >= 0 ? nextMarker - lineStart : -1;
    } else {
      const whole = chunk.subarray(lineStart);
      markerSeen = nextMarker >= 0;
      straddleLen = Math.min(whole.length, markerLength - 1);
      whole.copy(straddle, 0, whole.length - straddleLen);
      head = Buffer.from(whole.subarray(0, keepBytes));
      tail = Buffer.alloc(keepBytes);
      tailLen = 0;
      pushTail(whole.subarray(keepBytes));
    }
  }

  // Bytes after the last '\n': a line still being written, or a complete final line without newline.
  if (carry > 0 && carryMarker >= 0 && sink.partial(buf.subarray(0, carry), lines + 1)) {
    lines++;
    consumed += carry;
    keepSeam(buf, carry);
  } else if (
    head !== undefined &&
    markerSeen &&
    sink.oversizedPartial?.(head, tail!.subarray(tail!.length - tailLen), lines + 1)
  ) {
    lines++;
    consumed = pos;
    keepSeam(tail!, tail!.length);
  }
  if (consumed <= start) return { offset: consumed, lines, bytes: pos - start, seam: EMPTY };
  // The read held fewer bytes before the offset than a seam is (a short line just after a read's start, or
  // a pass that took only a newline): they are read from the file.
  const want = Math.min(SEAM_BYTES, consumed);
  if (seamLength < want) seamLength = readSync(fd, seamBuffer, 0, want, consumed - want);
  return { offset: consumed, lines, bytes: pos - start, seam: seamBuffer.subarray(0, seamLength) };
}
