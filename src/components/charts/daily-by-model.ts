// Rows (day, model, value) → a stacked bar chart with one bar per day of the range (empty days are zeros)
// and one layer per model; models beyond the top few by total are folded into "other models".
import type { DayModelRow } from '../../db/queries/usage-by-day-model.ts';
import { dayToX, type ChartSpec } from './chart-spec.ts';
import { stackColumns } from './stack-columns.ts';

export function dailyByModel(
  rows: readonly DayModelRow[],
  days: readonly string[],
  metric: 'cost' | 'totalTokens',
  label: string,
  maxModels = 5,
): ChartSpec {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.model, (totals.get(r.model) ?? 0) + r[metric]);
  const ranked = [...totals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([m]) => m);
  const shown = ranked.length > maxModels ? ranked.slice(0, maxModels - 1) : ranked;
  const names = ranked.length > shown.length ? [...shown, 'other models'] : shown;
  const index = new Map(days.map((d, i) => [d, i]));
  const values = names.map(() => days.map(() => 0));
  for (const r of rows) {
    const i = index.get(r.day);
    if (i === undefined) continue;
    const s = shown.indexOf(r.model);
    values[s === -1 ? names.length - 1 : s]![i]! += r[metric];
  }
  const { order, draw } = stackColumns(values);
  return {
    label,
    xKind: 'day',
    tz: 'UTC',
    xLabels: [...days],
    x: days.map(dayToX),
    series: order.map((s) => ({
      label: names[s]!,
      unit: metric === 'cost' ? 'usd' : 'tokens',
      type: 'bar',
      color: s,
    })),
    draw,
    values: order.map((s) => values[s]!),
  };
}
