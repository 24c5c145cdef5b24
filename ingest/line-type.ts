// The top-level "type" of a transcript line that is not parsed (it holds no usage marker), read from its
// bytes so a pass can count the lines it ignores by type without parsing them. Inside a JSON string every
// quote is escaped, so `"type":"` only occurs as a key; it is the top-level one when no object or array
// opens before it (Claude Code writes `type` before `message`). Otherwise (spaced JSON too: `"type": "`)
// the line's structure is walked, within its first SCAN_LIMIT bytes. Anything unreadable is "(unknown)": a
// count, never an error.
const TYPE_KEY = Buffer.from('"type":"');
const TYPE_NAME = Buffer.from('"type"');
const SCAN_LIMIT = 256 << 10;
const MAX_TYPE_LENGTH = 64;

function valueAt(bytes: Buffer, start: number, end: number): string {
  const close = bytes.indexOf(34 /* " */, start);
  if (close < 0 || close >= end || close - start > MAX_TYPE_LENGTH) return '(unknown)';
  return bytes.toString('latin1', start, close);
}

/** Walks the structure for a "type" key at depth 1 (the slow path). */
function walk(bytes: Buffer, start: number, end: number): string {
  let depth = 0;
  const stop = Math.min(end, start + SCAN_LIMIT);
  for (let i = start; i < stop; i++) {
    const c = bytes[i]!;
    if (c === 34) {
      // A string: a key at depth 1 named "type" followed by a string value is the answer.
      // Compared in place: an indexOf would search on to the end of the read for every string.
      if (
        depth === 1 &&
        bytes.compare(TYPE_NAME, 0, TYPE_NAME.length, i, Math.min(i + TYPE_NAME.length, stop)) === 0
      ) {
        const value = typeValueStart(bytes, i + TYPE_NAME.length, stop);
        if (value >= 0) return valueAt(bytes, value, end);
      }
      for (i++; i < stop; i++) {
        const d = bytes[i]!;
        if (d === 92 /* \ */) i++;
        else if (d === 34) break;
      }
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) depth--;
  }
  return '(unknown)';
}

const isSpace = (c: number | undefined): boolean => c === 32 || c === 9 || c === 13 || c === 10;

/** After a `"type"` string: where its string value starts (past `: "`, spaces allowed), or -1. */
function typeValueStart(bytes: Buffer, i: number, stop: number): number {
  while (i < stop && isSpace(bytes[i])) i++;
  if (bytes[i] !== 58 /* : */) return -1;
  for (i++; i < stop && isSpace(bytes[i]); i++);
  return bytes[i] === 34 ? i + 1 : -1;
}

/** The type when it comes before any nested object or array (or the line has none), else undefined. */
export function quickLineType(whole: Buffer, start: number, end: number): string | undefined {
  // Searches stop at the line's end: in a read's buffer, a line without the key would search the rest of it.
  const bytes = end === whole.length ? whole : whole.subarray(0, end);
  const key = bytes.indexOf(TYPE_KEY, start + 1);
  if (key < 0) {
    // Spaced JSON, or no type at all: only a walk tells.
    if (bytes.indexOf(TYPE_NAME, start + 1) >= 0) return undefined;
    return end - start > SCAN_LIMIT ? undefined : '(none)';
  }
  const before = bytes.subarray(start + 1, key);
  if (before.indexOf(123 /* { */) < 0 && before.indexOf(91 /* [ */) < 0)
    return valueAt(bytes, key + TYPE_KEY.length, end);
  return undefined;
}

export function lineType(bytes: Buffer, start: number, end: number): string {
  return quickLineType(bytes, start, end) ?? walk(bytes, start, end);
}
