// Rows (day, model, value) → a stacked bar chart with one bar per day of the range (empty days are zeros)
// and one layer per model; models beyond the top few by cost are folded into "other models". Models are ranked
// by cost whatever the chart shows, so a page's cost and token charts stack and list them in one order, and each
// model has its own colour (model-color.ts).
import type { DayModelRow } from '../../db/queries/usage-by-day-model.ts';
import { dayToX, type ChartSpec } from './chart-spec.ts';
import { stackColumns } from './stack-columns.ts';
import { modelColors, OTHER_MODELS_COLOR } from './model-color.ts';

export function dailyByModel(
  rows: readonly DayModelRow[],
  days: readonly string[],
  metric: 'cost' | 'totalTokens',
  label: string,
  maxModels = 5,
): ChartSpec {
  const totals = new Map<string, [cost: number, tokens: number]>();
  for (const r of rows) {
    const t = totals.get(r.model) ?? [0, 0];
    totals.set(r.model, [t[0] + r.cost, t[1] + r.totalTokens]);
  }
  const ranked = [...totals]
    .sort(([am, a], [bm, b]) => b[0] - a[0] || b[1] - a[1] || (am < bm ? -1 : 1))
    .map(([m]) => m);
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
  // Colours come from every model in the rows, not only those shown, so a model folded here keeps its slot free.
  const colors = modelColors(ranked);
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
      color: colors.get(names[s]!) ?? OTHER_MODELS_COLOR,
    })),
    draw,
    values: order.map((s) => values[s]!),
  };
}
