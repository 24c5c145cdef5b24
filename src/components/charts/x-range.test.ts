// The x axis spans the chart's rows with a little room, whatever range uPlot would propose.
import { describe, expect, it } from 'vitest';
import { xRange } from './x-range.ts';
import { dayToX } from './chart-spec.ts';

describe('xRange', () => {
  it('gives a per-day axis half a day of room at both ends, also for a single month or week', () => {
    expect(xRange([dayToX('2026-03-01'), dayToX('2026-03-03')], 'day')).toEqual([
      dayToX('2026-03-01') - 43_200,
      dayToX('2026-03-03') + 43_200,
    ]);
    expect(xRange([dayToX('2026-03-01')], 'day')).toEqual([
      dayToX('2026-03-01') - 43_200,
      dayToX('2026-03-01') + 43_200,
    ]);
  });

  it('gives a per-hour axis half an hour of room', () => {
    expect(xRange([0, 3600, 23 * 3600], 'hour')).toEqual([-1800, 23 * 3600 + 1800]);
  });

  it('gives rows within a minute half an hour either side, a longer time axis exactly its rows', () => {
    expect(xRange([1000], 'time')).toEqual([-800, 2800]);
    expect(xRange([1000, 1030], 'time')).toEqual([-800, 2830]);
    expect(xRange([1000, 5000, 3000], 'time')).toEqual([1000, 5000]);
  });

  it('leaves an empty chart to uPlot', () => {
    expect(xRange([], 'time')).toBeUndefined();
  });
});
