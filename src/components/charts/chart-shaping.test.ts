// Rows → uPlot columns: stacking, zero-filled gaps, folding extra models, exact values kept for the legend.
import { describe, expect, it } from 'vitest';
import { stackColumns } from './stack-columns.ts';
import { dailyByModel } from './daily-by-model.ts';
import { hourlyByKind } from './hourly-by-kind.ts';
import { periodBars } from './period-bars.ts';
import { requestsOverTime } from './requests-over-time.ts';
import { blocksOverTime } from './blocks-over-time.ts';
import { dayToX } from './chart-spec.ts';
import type { HourRow } from '../../db/queries/usage-by-hour.ts';
import type { PeriodTotalsRow } from '../../db/queries/period-totals.ts';
import { identifyBlocks } from '../../report/identify-blocks.ts';
import { ZERO_SUMS } from '../../db/sum-columns.ts';

const sums = ZERO_SUMS;

describe('stackColumns', () => {
  it('stacks bottom-up and orders the top layer first', () => {
    const { order, draw } = stackColumns([
      [1, 2],
      [10, 20],
      [100, 200],
    ]);
    expect(order).toEqual([2, 1, 0]);
    expect(draw).toEqual([
      [111, 222],
      [11, 22],
      [1, 2],
    ]);
  });
  it('handles no series', () => {
    expect(stackColumns([])).toEqual({ order: [], draw: [] });
  });
});

describe('dailyByModel', () => {
  const rows = [
    { day: '2026-03-01', model: 'a', totalTokens: 10, cost: 1, unpricedMessages: 0 },
    { day: '2026-03-03', model: 'a', totalTokens: 5, cost: 0.5, unpricedMessages: 0 },
    { day: '2026-03-03', model: 'b', totalTokens: 7, cost: 2, unpricedMessages: 0 },
    { day: '2026-03-03', model: 'c', totalTokens: 1, cost: 0.25, unpricedMessages: 0 },
    { day: '2026-02-01', model: 'a', totalTokens: 99, cost: 99, unpricedMessages: 0 },
  ];
  const days = ['2026-03-01', '2026-03-02', '2026-03-03'];

  it('fills empty days with zeros, one layer per model, biggest first at the bottom', () => {
    const spec = dailyByModel(rows.slice(0, 4), days, 'cost', 'Cost');
    expect(spec.x).toEqual(days.map(dayToX));
    expect(spec.xLabels).toEqual(days);
    // Ranked by total cost: b (2), a (1.5), c (0.25); top layer (c) comes first.
    expect(spec.series.map((s) => s.label)).toEqual(['c', 'a', 'b']);
    expect(spec.values).toEqual([
      [0, 0, 0.25],
      [1, 0, 0.5],
      [0, 0, 2],
    ]);
    expect(spec.draw![0]).toEqual([1, 0, 2.75]);
    expect(spec.series.every((s) => s.unit === 'usd' && s.type === 'bar')).toBe(true);
  });

  it('lists models in one order on the cost and the token chart: by cost, though a has more tokens than b', () => {
    const cost = dailyByModel(rows.slice(0, 4), days, 'cost', 'Cost');
    const tokens = dailyByModel(rows.slice(0, 4), days, 'totalTokens', 'Tokens');
    expect(tokens.series.map((s) => s.label)).toEqual(cost.series.map((s) => s.label));
    expect(tokens.series.map((s) => s.color)).toEqual(cost.series.map((s) => s.color));
    expect(tokens.values.map((v) => v.reduce<number>((n, x) => n + (x ?? 0), 0))).toEqual([1, 15, 7]);
  });

  it('folds models beyond the limit into "other models" and ignores days outside the range', () => {
    const spec = dailyByModel(rows, days, 'totalTokens', 'Tokens', 2);
    expect(spec.series.map((s) => s.label)).toEqual(['other models', 'a']);
    expect(spec.values).toEqual([
      [0, 0, 8],
      [10, 0, 5],
    ]);
  });
});

describe('hourlyByKind', () => {
  it('gives 24 hours of tokens by kind plus the cost line', () => {
    const rows: HourRow[] = [
      {
        ...sums,
        hour: 9,
        inputTokens: 1,
        outputTokens: 2,
        cacheWrite5mTokens: 3,
        cacheWrite1hTokens: 4,
        cacheReadTokens: 5,
        totalTokens: 15,
        cost: 0.5,
      },
    ];
    const spec = hourlyByKind(rows, '2026-03-02');
    expect(spec.x).toHaveLength(24);
    expect(spec.x[9]).toBe(dayToX('2026-03-02') + 9 * 3600);
    expect(spec.xLabels[9]).toBe('09:00');
    expect(spec.series.map((s) => s.label)).toEqual(['Cache read', 'Cache write', 'Output', 'Input', 'Cost']);
    expect(spec.values.map((v) => v[9])).toEqual([5, 7, 2, 1, 0.5]);
    expect(spec.draw![0]![9]).toBe(15);
    expect(spec.values[4]![8]).toBe(0);
  });
});

describe('periodBars', () => {
  it('orders periods oldest first and keys months on their first day', () => {
    const row = (period: string, cost: number): PeriodTotalsRow => ({
      ...sums,
      period,
      cost,
      totalTokens: cost * 10,
      sessions: 1,
      activeDays: 1,
    });
    const spec = periodBars([row('2026-03', 3), row('2026-01', 1)], 'Months', (m) => `${m}-01`);
    expect(spec.xLabels).toEqual(['2026-01', '2026-03']);
    expect(spec.x).toEqual([dayToX('2026-01-01'), dayToX('2026-03-01')]);
    expect(spec.values).toEqual([
      [1, 3],
      [10, 30],
    ]);
  });
});

describe('requestsOverTime', () => {
  it('plots tokens per request and the running cost, unpriced requests adding nothing', () => {
    const r = (ts: number, totalTokens: number, cost: number | null) => ({
      ts,
      model: 'm',
      agentId: null,
      inputTokens: 0,
      outputTokens: 0,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
      cacheReadTokens: 0,
      totalTokens,
      thinkingTokens: 0,
      webSearchRequests: 1,
      webFetchRequests: 0,
      cost,
    });
    const spec = requestsOverTime(
      [r(1000, 5, 0.1), r(2000, 7, null), r(3000, 9, 0.2)],
      'UTC',
      (ts) => `t${ts}`,
    );
    expect(spec.x).toEqual([1, 2, 3]);
    expect(spec.values[0]).toEqual([5, 7, 9]);
    expect(spec.values[1]![2]).toBeCloseTo(0.3);
    expect(spec.values[1]![1]).toBeCloseTo(0.1);
    expect(spec.xLabels).toEqual(['t1000', 't2000', 't3000']);
  });
});

describe('blocksOverTime', () => {
  it('plots real blocks only, tokens as bars and cost as points, with the limit line', () => {
    const h = 3_600_000;
    const row = (ts: number) => ({
      ts,
      model: 'm',
      inputTokens: 10,
      outputTokens: 0,
      cacheCreationTokens: 0,
      cacheReadTokens: 0,
      cost: 1,
    });
    const blocks = identifyBlocks([row(0), row(h), row(20 * h)], 30 * h);
    expect(blocks.some((b) => b.isGap)).toBe(true);
    const spec = blocksOverTime(blocks, 25, 'UTC', String);
    expect(spec.x).toEqual([0, 20 * 3600]);
    expect(spec.values[0]).toEqual([20, 10]);
    expect(spec.series.map((s) => [s.label, s.type])).toEqual([
      ['Tokens', 'bar'],
      ['Cost', 'points'],
    ]);
    expect(spec.limit).toEqual({ label: 'Token limit', value: 25 });
    expect(blocksOverTime(blocks, 0, 'UTC', String).limit).toBeUndefined();
  });
});
