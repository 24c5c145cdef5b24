// One day's rows per hour → 24 stacked bars of tokens by kind (input, output, cache write, cache read) and the
// hour's cost as a line on its own axis.
import type { HourRow } from '../../db/queries/usage-by-hour.ts';
import { dayToX, type ChartSpec } from './chart-spec.ts';
import { stackColumns } from './stack-columns.ts';

export const TOKEN_KINDS = [
  ['Input', (r: HourRow) => r.inputTokens],
  ['Output', (r: HourRow) => r.outputTokens],
  ['Cache write', (r: HourRow) => r.cacheWrite5mTokens + r.cacheWrite1hTokens],
  ['Cache read', (r: HourRow) => r.cacheReadTokens],
] as const;

export function hourlyByKind(rows: readonly HourRow[], day: string): ChartSpec {
  const byHour = new Map(rows.map((r) => [r.hour, r]));
  const hours = Array.from({ length: 24 }, (_, h) => h);
  const values = TOKEN_KINDS.map(([, get]) =>
    hours.map((h) => {
      const r = byHour.get(h);
      return r ? get(r) : 0;
    }),
  );
  const cost = hours.map((h) => byHour.get(h)?.cost ?? 0);
  const { order, draw } = stackColumns(values);
  const x0 = dayToX(day);
  return {
    label: `Tokens by kind and cost per hour, ${day}`,
    xKind: 'hour',
    tz: 'UTC',
    xLabels: hours.map((h) => `${String(h).padStart(2, '0')}:00`),
    x: hours.map((h) => x0 + h * 3600),
    series: [
      ...order.map((s) => ({
        label: TOKEN_KINDS[s]![0],
        unit: 'tokens' as const,
        type: 'bar' as const,
        color: s,
      })),
      { label: 'Cost', unit: 'usd', type: 'line', color: 5 },
    ],
    draw: [...draw, cost],
    values: [...order.map((s) => values[s]!), cost],
  };
}
