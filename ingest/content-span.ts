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

/** Walks the object at b[i] key by key; `visit` gets each key (as latin1) and its value's span. */
function walkObject(
  b: Buffer,
  i: number,
  end: number,
  visit: (key: string, start: number, stop: number) => boolean,
): boolean {
  if (b[i] !== 123) return false;
  i = skipSpace(b, i + 1, end);
  if (b[i] === 125) return true;
  for (;;) {
    if (b[i] !== QUOTE) return false;
    const keyEnd = skipString(b, i, end);
    if (keyEnd < 0) return false;
    const key = b.toString('latin1', i + 1, keyEnd - 1);
    i = skipSpace(b, keyEnd, end);
    if (b[i] !== 58 /* : */) return false;
    const start = skipSpace(b, i + 1, end);
    const stop = skipValue(b, start, end);
    if (stop < 0) return false;
    if (visit(key, start, stop)) return true;
    i = skipSpace(b, stop, end);
    if (b[i] === 44 /* , */) i = skipSpace(b, i + 1, end);
    else return b[i] === 125;
  }
}

/** The [start, end) of message.content's value in a JSON line, or undefined. */
export function contentSpan(b: Buffer): [number, number] | undefined {
  const end = b.length;
  let span: [number, number] | undefined;
  walkObject(b, skipSpace(b, 0, end), end, (key, start, stop) => {
    if (key !== 'message') return false;
    walkObject(b, start, stop, (inner, s, e) => {
      if (inner !== 'content') return false;
      span = [s, e];
      return true;
    });
    return true;
  });
  return span;
}
