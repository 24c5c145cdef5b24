// Period totals (days, weeks, months; newest first from SQL) → bars of cost per period, oldest first, with the
// period's tokens as a line on its own axis.
import type { PeriodTotalsRow } from '../../db/queries/period-totals.ts';
import { dayToX, type ChartSpec } from './chart-spec.ts';

export function periodBars(
  rows: readonly PeriodTotalsRow[],
  label: string,
  keyToDay: (key: string) => string = (k) => k,
): ChartSpec {
  const ordered = [...rows].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  const cost = ordered.map((r) => r.cost);
  const tokens = ordered.map((r) => r.totalTokens);
  return {
    label,
    xKind: 'day',
    tz: 'UTC',
    xLabels: ordered.map((r) => r.period),
    x: ordered.map((r) => dayToX(keyToDay(r.period))),
    series: [
      { label: 'Cost', unit: 'usd', type: 'bar', color: 0 },
      { label: 'Tokens', unit: 'tokens', type: 'line', color: 5 },
    ],
    values: [cost, tokens],
  };
}
