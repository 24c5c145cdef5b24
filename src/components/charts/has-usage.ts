// Whether a chart has anything to draw. A chart of nothing but zeros and gaps would be an empty frame without a
// scale; the page says "No usage in this period." in its place instead.
import type { ChartSpec } from './chart-spec.ts';

export function hasUsage(spec: Pick<ChartSpec, 'values'>): boolean {
  return spec.values.some((column) => column.some((v) => v != null && v !== 0));
}
