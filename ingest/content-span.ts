// Where an assistant line's `message.content` value lies, found by walking the line's structure byte by byte
// (strings are skipped with a native search for the closing quote), so the parser can leave the content out:
// it is most of an assistant line's bytes (text, thinking, tool input) and accounting reads none of it. The
// walk is exact JSON structure, not a guess; anything it does not expect gives undefined, and the caller
// parses the whole line as before.
const QUOTE = 34;
const BACKSLASH = 92;

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

function skipSpace(b: Uint8Array, i: number, end: number): number {
  while (i < end && isSpace(b[i]!)) i++;
  return i;
}

/** Index just past the string starting at b[i] (a quote), or -1. */
function skipString(b: Buffer, i: number, end: number): number {
  let from = i + 1;
  for (;;) {
    const q = b.indexOf(QUOTE, from);
    if (q < 0 || q >= end) return -1;
    let slashes = 0;
    for (let k = q - 1; b[k] === BACKSLASH; k--) slashes++;
    if (slashes % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/** Index just past the value starting at b[i], or -1. */
function skipValue(b: Buffer, i: number, end: number): number {
  const c = b[i];
  if (c === QUOTE) return skipString(b, i, end);
  if (c === 123 || c === 91) {
    let depth = 0;
    while (i < end) {
      const d = b[i]!;
      if (d === QUOTE) {
        i = skipString(b, i, end);
        if (i < 0) return -1;
        continue;
      }
      if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return -1;
  }
  // A number or literal: up to the next delimiter.
  while (i < end) {
    const d = b[i]!;
    if (d === 44 || d === 125 || d === 93 || isSpace(d)) return i;
    i++;
  }
  return -1;
}

const MESSAGE = Buffer.from('message');
const CONTENT = Buffer.from('content');

/** Whether the key bytes b[k0, k1) are `name` (compared in place: no string per key). */
function isKey(b: Buffer, k0: number, k1: number, name: Buffer): boolean {
  return k1 - k0 === name.length && b.compare(name, 0, name.length, k0, k1) === 0;
}

/** A visitor's answer: skip the value (the walk does), or stop the walk; any other number is the index just
 * past a value the visitor walked itself. */
const SKIP = -1;
const STOP = -2;

/** Walks the object at b[i] key by key; `visit` gets each key's bytes [keyStart, keyStop) and where its
 * value starts. */
function walkObject(
  b: Buffer,
  i: number,
  end: number,
  visit: (keyStart: number, keyStop: number, start: number) => number,
): boolean {
  if (b[i] !== 123) return false;
  i = skipSpace(b, i + 1, end);
  if (b[i] === 125) return true;
  for (;;) {
    if (b[i] !== QUOTE) return false;
    const keyEnd = skipString(b, i, end);
    if (keyEnd < 0) return false;
    const keyStart = i + 1;
    const keyStop = keyEnd - 1;
    i = skipSpace(b, keyEnd, end);
    if (b[i] !== 58 /* : */) return false;
    const start = skipSpace(b, i + 1, end);
    const answer = visit(keyStart, keyStop, start);
    if (answer === STOP) return true;
    const stop = answer === SKIP ? skipValue(b, start, end) : answer;
    if (stop < 0) return false;
    i = skipSpace(b, stop, end);
    if (b[i] === 44 /* , */) i = skipSpace(b, i + 1, end);
    else return b[i] === 125;
  }
}

/** The [start, end) of message.content's value in a JSON line, or undefined. The walk goes into `message`
 * where it starts, so the content's bytes are walked once. */
export function contentSpan(b: Buffer): [number, number] | undefined {
  const end = b.length;
  let span: [number, number] | undefined;
  walkObject(b, skipSpace(b, 0, end), end, (k0, k1, start) => {
    if (!isKey(b, k0, k1, MESSAGE)) return SKIP;
    walkObject(b, start, end, (i0, i1, s) => {
      if (!isKey(b, i0, i1, CONTENT)) return SKIP;
      const e = skipValue(b, s, end);
      if (e >= 0) span = [s, e];
      return STOP;
    });
    return STOP;
  });
  return span;
}
