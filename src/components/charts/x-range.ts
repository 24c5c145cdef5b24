// The x axis's span, from the chart's own rows: half a bar of room at both ends of a per-day or per-hour axis,
// and half an hour either side of a time axis whose rows lie within a minute (a block's first minute, a
// one-request session). Taken from the rows, not from the range uPlot proposes: for a single row uPlot stretches
// a time scale to the row plus 86,400,000 seconds, so a lone month or minute was drawn on an axis of years.
import type { ChartSpec } from './chart-spec.ts';

/** [min, max] in unix seconds, or undefined with no rows (uPlot's own range then). */
export function xRange(xs: readonly number[], xKind: ChartSpec['xKind']): [number, number] | undefined {
  if (xs.length === 0) return undefined;
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  const pad = xKind === 'day' ? 43_200 : xKind === 'hour' || max - min < 60 ? 1800 : 0;
  return [min - pad, max + pad];
}
