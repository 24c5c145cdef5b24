// A count with its noun in the right number, for every sentence the site and the archive print: "1 session",
// "2 sessions", "0 days". English only; a noun whose plural is not noun + "s" passes its own.
import { formatInt } from './number.ts';

/** `n` comma-grouped, then `one` when n is 1 and `many` (default `one` + "s") otherwise. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatInt(n)} ${n === 1 ? one : many}`;
}
