// Where a line must not join two rows. On a per-day or per-hour axis each row is a period and a period without
// usage is absent from the rows, so rows further apart than 1.5 times the usual (smallest) step have a gap
// between them that a line would paper over. On a time axis the rows are instants (a session's requests, an
// active block's minutes, limit readings): its lines are running totals or readings that hold until the next
// one, so they are joined whatever the time between rows; a value per event is drawn as points instead.
import type { ChartSpec } from './chart-spec.ts';

/** The indexes i (≥ 1) whose row a line must not join to row i − 1. */
export function lineBreaks(xs: readonly number[], xKind: ChartSpec['xKind']): number[] {
  if (xKind === 'time') return [];
  let step = Infinity;
  for (let i = 1; i < xs.length; i++) step = Math.min(step, xs[i]! - xs[i - 1]!);
  const breaks: number[] = [];
  for (let i = 1; i < xs.length; i++) if (xs[i]! - xs[i - 1]! > step * 1.5) breaks.push(i);
  return breaks;
}
