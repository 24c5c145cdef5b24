// The bounds a usage figure must keep to be counted: a number that is not a plausible token count or cost
// (negative, fractional, beyond these bounds or not finite) makes its line `implausible_usage`, skipped and
// counted, so no total can be non-finite or absurd. Kept apart from the schema so the reader threads need
// no schema library.
/** The most tokens of one kind a single response can plausibly report (the largest context is 1M). */
export const MAX_TOKENS = 100_000_000;
/** The most USD a single line can plausibly report as its cost. */
export const MAX_LINE_COST_USD = 100_000;

export const IMPLAUSIBLE = 'implausible_usage';

export const isPlausibleCount = (n: number): boolean => Number.isSafeInteger(n) && n >= 0 && n <= MAX_TOKENS;
export const isPlausibleCost = (n: number): boolean => Number.isFinite(n) && n >= 0 && n <= MAX_LINE_COST_USD;
