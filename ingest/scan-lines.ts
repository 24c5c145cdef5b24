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
  /** A complete line without a marker, as bytes[start, end) (only its head when it was too long to keep). */
  other?(bytes: Buffer, start: number, end: number, lineNo: number): void;
}

export interface ScanResult {
  /** Byte offset after the last line consumed. */
  offset: number;
  /** Lines consumed (complete lines, blank ones included). */
  lines: number;
  bytes: number;
}

export interface ScanOptions {
  chunkBytes?: number;
  maxLineBytes?: number;
  keepBytes?: number;
}

let shared: Buffer = Buffer.alloc(0);

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
  // a fresh megabyte per file cost more than reading small files.
  if (shared.length !== chunkBytes) shared = Buffer.allocUnsafe(chunkBytes);
  const buf = shared;
  const markerLength = USAGE_MARKER.length;
  const other = sink.other;

  let pos = start; // file position of buf[0]
  let consumed = start; // offset after last consumed line
  let lines = 0;
  // A line that spans chunks: its parts so far (or head + rolling tail once oversized).
  let parts: Buffer[] = [];
  let partsLen = 0;
  let head: Buffer | undefined;
  // The rolling tail of an oversized line: one buffer of keepBytes, its last tailLen bytes in use.
  let tail: Buffer | undefined;
  let tailLen = 0;
  // Whether an oversized line held the marker anywhere, also in the middle that is not kept.
  let markerSeen = false;
  const seam = Buffer.alloc(2 * markerLength);

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

  const takeSpanning = (piece: Buffer): void => {
    if (head === undefined && partsLen + piece.length <= maxLineBytes) {
      parts.push(Buffer.from(piece));
      partsLen += piece.length;
      return;
    }
    if (head === undefined) {
      const whole = Buffer.concat([...parts, piece]);
      markerSeen = hasMarker(whole);
      head = Buffer.from(whole.subarray(0, keepBytes));
      tail = Buffer.alloc(keepBytes);
      tailLen = 0;
      pushTail(whole.subarray(keepBytes));
      parts = [];
    } else {
      if (!markerSeen) {
        // The new bytes, and the seam between them and what came before (a marker may straddle it).
        const before = Math.min(tailLen, markerLength - 1);
        const after = Math.min(piece.length, markerLength - 1);
        tail!.copy(seam, 0, tail!.length - before);
        piece.copy(seam, before, 0, after);
        markerSeen = hasMarker(piece) || hasMarker(seam.subarray(0, before + after));
      }
      pushTail(piece);
    }
    partsLen += piece.length;
  };

  const finishSpanning = (last: Buffer, lineNo: number): void => {
    if (head === undefined) {
      const whole = partsLen === 0 ? last : Buffer.concat([...parts, last]);
      if (hasMarker(whole)) sink.line(whole, lineNo);
      else other?.(whole, 0, whole.length, lineNo);
    } else {
      takeSpanning(last);
      if (markerSeen) sink.oversized(head, tail!.subarray(tail!.length - tailLen), lineNo);
      else other?.(head, 0, head.length, lineNo);
    }
    parts = [];
    partsLen = 0;
    head = undefined;
    tail = undefined;
    tailLen = 0;
    markerSeen = false;
  };

  while (pos < end) {
    const n = readSync(fd, buf, 0, Math.min(chunkBytes, end - pos), pos);
    if (n <= 0) break;
    const chunk = buf.subarray(0, n);
    let lineStart = 0;
    let nextMarker = chunk.indexOf(USAGE_MARKER);
    for (;;) {
      const nl = chunk.indexOf(10, lineStart);
      if (nl < 0) break;
      lines++;
      if (partsLen > 0 || head !== undefined) {
        finishSpanning(chunk.subarray(lineStart, nl), lines);
      } else if (nextMarker >= 0 && nextMarker < nl) {
        sink.line(chunk.subarray(lineStart, nl), lines);
      } else if (other && nl > lineStart) {
        other(chunk, lineStart, nl, lines);
      }
      lineStart = nl + 1;
      consumed = pos + lineStart;
      if (nextMarker >= 0 && nextMarker < lineStart) nextMarker = chunk.indexOf(USAGE_MARKER, lineStart);
    }
    if (lineStart < n) takeSpanning(chunk.subarray(lineStart, n));
    pos += n;
  }

  // Bytes after the last '\n': a line still being written, or a complete final line without newline.
  if (partsLen > 0 && head === undefined) {
    const rest = Buffer.concat(parts);
    if (hasMarker(rest) && sink.partial(rest, lines + 1)) {
      lines++;
      consumed += rest.length;
    }
  }
  return { offset: consumed, lines, bytes: pos - start };
}
