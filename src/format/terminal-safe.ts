// Text from transcripts (model names, line types, project and file names) shown on a terminal: control
// characters are shown as escapes, so a crafted name cannot move the cursor, retitle the window or clear the
// screen, and bidi overrides and isolates (U+202A–202E, U+2066–2069) likewise, so it cannot reorder the text
// around it. Newlines and tabs stay (ctm's own text is made of them); JSON and CSV output are not terminal
// text. terminalSafeLine is for text that must stay on one line (the status line): newlines go too.

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const LINE_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const escape = (c: string): string => {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
};

export function terminalSafe(text: string): string {
  return text.replace(CONTROL, escape);
}

/** terminalSafe, newlines and tabs included, at most `max` characters long (cut with '…'). */
export function terminalSafeLine(text: string, max = Infinity): string {
  const safe = text.replace(LINE_CONTROL, escape);
  if (safe.length <= max) return safe;
  // Cut by code point and whole escapes, so neither a surrogate pair nor an escape is split.
  let out = '';
  for (const ch of text) {
    const s = ch.replace(LINE_CONTROL, escape);
    if (out.length + s.length > max - 1) break;
    out += s;
  }
  return `${out}…`;
}

/** A copy of a plain data value (objects, arrays, strings, numbers…) with terminalSafe applied to every
 * string in it; anything else is kept as it is. */
export function terminalSafeData<T>(value: T): T {
  if (typeof value === 'string') return terminalSafe(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => terminalSafeData(v)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, terminalSafeData(v)])) as T;
  return value;
}
