// Text from transcripts (model names, line types, project and file names) shown on a terminal: control
// characters are shown as escapes, so a crafted name cannot move the cursor, retitle the window or clear the
// screen. Newlines and tabs stay (ctm's own text is made of them); JSON and CSV output are not terminal text.

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
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
