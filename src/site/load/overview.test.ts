// The overview's data on a real SQLite index (real migrations, site-fixture's rows plus two older days): with
// recent usage its cards, chart and top lists are today's, this week's, this month's and the last 30/90 days';
// with usage only 100+ days before now it names the last active day and ends its windows there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedRow } from '../../../test/fixtures/seed-usage-db.ts';
import { siteIndex, type SiteIndex } from '../../../test/fixtures/site-index.ts';
import { FIXTURE, SONNET, at } from '../../../test/fixtures/site-fixture.ts';
import { lastActivity } from '../../db/queries/last-activity.ts';
import type { SiteContext } from '../site-context.ts';
import { loadOverview, type OverviewData } from './overview.ts';

const gamma = { cwd: '/home/me/gamma', project: '-home-me-gamma', model: SONNET };
const ROWS: SeedRow[] = [
  // 43 days before the last active day (2026-03-04): in its 90 days, not its 30.
  { ...gamma, ts: at('2026-01-20T12:00:00Z'), sessionId: 's4', input: 7000, output: 3000 },
  // Over 90 days before it: all time only.
  { ...gamma, ts: at('2025-11-01T12:00:00Z'), sessionId: 's5', input: 40_000, output: 2000 },
  ...FIXTURE,
];
const tokens = (r: SeedRow) =>
  r.input + r.output + (r.cacheWrite5m ?? 0) + (r.cacheWrite1h ?? 0) + (r.cacheRead ?? 0);
/** Tokens of the rows from `from` to `to` (UTC days, inclusive), summed here rather than in SQL. */
const tokensIn = (from: string, to: string) =>
  ROWS.filter((r) => {
    const day = new Date(r.ts).toISOString().slice(0, 10);
    return day >= from && day <= to;
  }).reduce((n, r) => n + tokens(r), 0);
const chartTotal = (d: OverviewData) => d.chart.values.flat().reduce<number>((n, v) => n + (v ?? 0), 0);

let index: SiteIndex;
let ctx: (nowIso: string, timezone?: string) => SiteContext;

beforeAll(() => {
  index = siteIndex(ROWS);
  ctx = index.context;
});
afterAll(() => index.remove());

describe('the overview with recent usage', () => {
  it('is today, this week, this month and all time, the last 30 and 90 days, and names no idle state', () => {
    const d = loadOverview(ctx('2026-03-05T12:00:00Z'));
    expect(d.idle).toBeUndefined();
    expect(d.periods.map((p) => [p.label, p.from])).toEqual([
      ['Today', '2026-03-05'],
      ['This week', '2026-03-02'],
      ['This month', '2026-03-01'],
      ['All time', ''],
    ]);
    expect(d.periods[0]!.totals.messages).toBe(0);
    expect(d.periods[1]!.totals.totalTokens).toBe(tokensIn('2026-03-02', '2026-03-05'));
    expect(d.periods[3]!.totals.totalTokens).toBe(tokensIn('0000-01-01', '9999-12-31'));
    expect(d.window30).toEqual({ from: '2026-02-04', to: '2026-03-05', label: 'last 30 days' });
    expect(d.window90).toEqual({ from: '2025-12-06', to: '2026-03-05', label: 'last 90 days' });
    expect(d.chart.label).toBe('Cost per day by model, last 90 days');
    expect(d.chart.xLabels).toHaveLength(90);
    expect(d.chart.xLabels.at(-1)).toBe('2026-03-05');
    expect(d.topProjects.map((p) => p.key).sort()).toEqual(['-home-me-alpha', '-home-me-beta']);
  });
});

describe('the overview of an index last used over 100 days ago', () => {
  const NOW = '2026-07-01T12:00:00Z';

  it('names the last active day in the configured timezone and how long ago it was', () => {
    expect(lastActivity(index.db, ctx(NOW).filter)).toEqual({
      day: '2026-03-04',
      ts: at('2026-03-04T08:00:00Z'),
    });
    expect(loadOverview(ctx(NOW)).idle).toEqual({
      lastDay: '2026-03-04',
      lastTs: at('2026-03-04T08:00:00Z'),
      daysAgo: 119,
    });
    // 2026-03-04 08:00 UTC is the evening before in Honolulu (UTC-10): that timezone's overview says 03-03.
    const honolulu = loadOverview(ctx(NOW, 'Pacific/Honolulu'));
    expect(honolulu.idle).toEqual({
      lastDay: '2026-03-03',
      lastTs: at('2026-03-04T08:00:00Z'),
      daysAgo: 120,
    });
    expect(honolulu.window30.label).toBe('30 days to 2026-03-03');
    expect(lastActivity(index.db, { ...ctx(NOW).filter, project: '-home-me-gamma' })?.day).toBe('2026-01-20');
  });

  it('shows the last active day and the 30 and 90 days ending there, with their sums', () => {
    const d = loadOverview(ctx(NOW));
    expect(d.window30).toEqual({ from: '2026-02-03', to: '2026-03-04', label: '30 days to 2026-03-04' });
    expect(d.window90).toEqual({ from: '2025-12-05', to: '2026-03-04', label: '90 days to 2026-03-04' });
    expect(d.periods.map((p) => p.label)).toEqual([
      'Last active day',
      '30 days to 2026-03-04',
      '90 days to 2026-03-04',
      'All time',
    ]);
    const [day, days30, days90, all] = d.periods.map((p) => p.totals);
    expect(day!.totalTokens).toBe(tokensIn('2026-03-04', '2026-03-04'));
    expect(day!.messages).toBe(1);
    expect(days30!.totalTokens).toBe(tokensIn('2026-02-03', '2026-03-04'));
    expect(days30!.sessions).toBe(3);
    expect(days90!.totalTokens).toBe(tokensIn('2025-12-05', '2026-03-04'));
    expect(days90!.totalTokens).toBe(days30!.totalTokens + 10_000);
    expect(all!.totalTokens).toBe(days90!.totalTokens + 42_000);
    for (const t of [day, days30, days90]) expect(t!.cost).toBeGreaterThan(0);

    // The chart is the 90 days to the last active day, and its bars add up to that card's cost.
    expect(d.chart.label).toBe('Cost per day by model, 90 days to 2026-03-04');
    expect(d.chart.xLabels).toHaveLength(90);
    expect(d.chart.xLabels[0]).toBe('2025-12-05');
    expect(d.chart.xLabels.at(-1)).toBe('2026-03-04');
    expect(chartTotal(d)).toBeCloseTo(days90!.cost, 9);
    expect(d.unpricedModels).toEqual(['mystery-model-1']);

    // The top lists are of the 30 days to it: gamma's January day is not among them.
    expect(d.topProjects.map((p) => p.key).sort()).toEqual(['-home-me-alpha', '-home-me-beta']);
    expect(d.topModels.reduce((n, m) => n + m.totalTokens, 0)).toBe(days30!.totalTokens);
  });

  it('keeps the current 90 days while they still hold the last active day', () => {
    // 47 days after it: the 30-day window ends there, the 90-day one is still the last 90 days.
    const d = loadOverview(ctx('2026-04-20T12:00:00Z'));
    expect(d.idle?.daysAgo).toBe(47);
    expect(d.window30.label).toBe('30 days to 2026-03-04');
    expect(d.window90).toEqual({ from: '2026-01-21', to: '2026-04-20', label: 'last 90 days' });
    expect(d.periods[2]!.label).toBe('Last 90 days');
    expect(d.periods[2]!.totals.totalTokens).toBe(tokensIn('2026-01-21', '2026-04-20'));
    expect(chartTotal(d)).toBeCloseTo(d.periods[2]!.totals.cost, 9);
  });
});

describe('the overview of an empty index', () => {
  it('has no last activity and keeps the current windows', () => {
    const empty = siteIndex([]);
    try {
      const d = loadOverview({ ...ctx('2026-07-01T12:00:00Z'), db: empty.db });
      expect(lastActivity(empty.db, { timezone: 'UTC', costMode: 'auto' })).toBeNull();
      expect(d.idle).toBeUndefined();
      expect(d.window90.label).toBe('last 90 days');
      expect(chartTotal(d)).toBe(0);
      expect(d.periods.map((p) => p.totals.messages)).toEqual([0, 0, 0, 0]);
    } finally {
      empty.remove();
    }
  });
});
