import { describe, expect, it } from 'vitest';
import { dayToX, type ChartSpec } from './chart-spec.ts';
import { STATS_CACHE_LABEL, withStatsCacheSeries } from './stats-cache-series.ts';

const spec: ChartSpec = {
  label: 'Cost per day',
  xKind: 'day',
  tz: 'UTC',
  xLabels: ['2026-03-02', '2026-03-04'],
  x: [dayToX('2026-03-02'), dayToX('2026-03-04')],
  series: [{ label: 'Cost', unit: 'usd', type: 'bar', color: 0 }],
  values: [[1, 2]],
  draw: [[1, 2]],
};

describe('withStatsCacheSeries', () => {
  it('merges the stats-cache days into x in order, as a tokens series of their own', () => {
    const out = withStatsCacheSeries(spec, [
      { day: '2026-03-01', tokens: 50, models: 'm', allKinds: true },
      { day: '2026-03-03', tokens: 70, models: 'm', allKinds: false },
    ]);
    expect(out.xLabels).toEqual(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04']);
    expect(out.x).toEqual(out.xLabels.map(dayToX));
    expect(out.series.at(-1)).toMatchObject({ label: STATS_CACHE_LABEL, unit: 'tokens' });
    expect(out.values).toEqual([
      [null, 1, null, 2],
      [50, null, 70, null],
    ]);
    expect(out.draw).toEqual(out.values);
  });

  it('leaves a chart without such days as it was', () => {
    expect(withStatsCacheSeries(spec, [])).toBe(spec);
  });
});
