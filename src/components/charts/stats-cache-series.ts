// Adds the days known only from Claude Code's stats cache to a per-day chart as a series of their own
// (tokens only: the cache has no cost), merging their days into the chart's x in order. Pure.
import { dayToX, type ChartSpec } from './chart-spec.ts';
import type { StatsCacheDay } from '../../db/queries/stats-cache-only-days.ts';

export const STATS_CACHE_LABEL = "From Claude Code's stats cache: tokens only";

export function withStatsCacheSeries(spec: ChartSpec, days: readonly StatsCacheDay[]): ChartSpec {
  if (days.length === 0) return spec;
  const byX = new Map(days.map((d) => [dayToX(d.day), d]));
  const xs = [...new Set([...spec.x, ...byX.keys()])].sort((a, b) => a - b);
  const at = new Map(spec.x.map((x, i) => [x, i]));
  const labelOf = (x: number): string => {
    const i = at.get(x);
    return i === undefined ? byX.get(x)!.day : spec.xLabels[i]!;
  };
  const pad = (column: (number | null)[]): (number | null)[] =>
    xs.map((x) => {
      const i = at.get(x);
      return i === undefined ? null : (column[i] ?? null);
    });
  const cache = xs.map((x) => byX.get(x)?.tokens ?? null);
  return {
    ...spec,
    xLabels: xs.map(labelOf),
    x: xs,
    series: [...spec.series, { label: STATS_CACHE_LABEL, unit: 'tokens', type: 'points', color: 7 }],
    values: [...spec.values.map(pad), cache],
    ...(spec.draw ? { draw: [...spec.draw.map(pad), cache] } : {}),
  };
}
