import { describe, expect, it } from 'vitest';
import { openDb } from '../db/open.ts';
import { insertUsageRows } from '../../test/fixtures/seed-usage-db.ts';
import { liveSnapshot } from './live-snapshot.ts';
import { liveView } from './live-view.ts';
import type { LiveSnapshot } from './live-snapshot.ts';

const now = Date.parse('2026-03-02T12:30:00Z');
const at = (iso: string, input: number, sessionId = 'session-a', model = 'claude-sonnet-4-5-20250929') => ({
  ts: Date.parse(iso),
  model,
  sessionId,
  project: '-home-me-app',
  cwd: '/home/me/app',
  input,
  output: 100,
  cacheRead: 1000,
});

/** An index's snapshot at `now` with no limit set and nothing ingested or built yet. */
const snapshotOf = (db: ReturnType<typeof openDb>) =>
  liveSnapshot(db, {
    timezone: 'UTC',
    costMode: 'auto',
    tokenLimit: 'max',
    maxBlockTokens: 0,
    now,
    lastIngestAt: null,
    lastBuildAt: null,
  });

function snapshot(tokenLimit: number | 'max', maxBlockTokens = 0) {
  const db = openDb(':memory:');
  insertUsageRows(db, [
    at('2026-03-01T09:10:00Z', 5000), // yesterday, its own completed block
    at('2026-03-02T10:15:00Z', 100),
    at('2026-03-02T11:15:00Z', 200, 'session-b'),
    at('2026-03-02T12:15:00Z', 300),
  ]);
  return liveSnapshot(db, {
    timezone: 'UTC',
    costMode: 'auto',
    tokenLimit,
    maxBlockTokens,
    now,
    lastIngestAt: now - 2000,
    lastBuildAt: null,
  });
}

describe('liveSnapshot', () => {
  it('today, the active block with its minute series, last requests and sessions', () => {
    const s = snapshot('max', 6100);
    expect(s.today).toMatchObject({
      day: '2026-03-02',
      inputTokens: 600,
      messages: 3,
      totalTokens: 600 + 300 + 3000,
    });
    expect(s.activeBlock).toMatchObject({
      start: '2026-03-02T10:00:00.000Z',
      end: '2026-03-02T15:00:00.000Z',
      entries: 3,
      totalTokens: 3900,
      tokenLimit: 6100,
      remainingMinutes: 150,
    });
    expect(s.activeBlock!.percentOfLimit).toBeCloseTo(63.9, 1);
    expect(s.activeBlock!.series.cumulativeTokens).toEqual([1200, 2500, 3900]);
    expect(s.recentRequests.map((r) => r.inputTokens)).toEqual([300, 200, 100, 5000]);
    expect(s.currentSessions.map((x) => x.sessionId)).toEqual(['session-a', 'session-b']);
    expect(s.freshness.ingestLagS).toBe(2);
  });

  it("names each current session's project as the pages do, its display name beside another of its folder name", () => {
    const db = openDb(':memory:');
    const row = (sessionId: string, cwd: string, iso: string) => ({
      ...at(iso, 100, sessionId),
      project: cwd.replace(/[^a-zA-Z0-9]/g, '-'),
      cwd,
    });
    insertUsageRows(db, [
      row('session-a', '/home/me/work/app', '2026-03-02T12:10:00Z'),
      row('session-b', '/home/me/play/app', '2026-03-02T12:00:00Z'),
    ]);
    const s = snapshotOf(db);
    expect(s.currentSessions.map((x) => [x.sessionId, x.projectName, x.cwd])).toEqual([
      ['session-a', 'work/app', '/home/me/work/app'],
      ['session-b', 'play/app', '/home/me/play/app'],
    ]);
    expect(liveView(s).sessions.map((r) => r[1])).toEqual(['work/app', 'play/app']);
    db.close();
  });

  it('no active block after five quiet hours', () => {
    const db = openDb(':memory:');
    insertUsageRows(db, [at('2026-03-02T06:00:00Z', 100)]);
    const s = snapshotOf(db);
    expect(s.activeBlock).toBeNull();
    expect(s.today.messages).toBe(1);
  });

  it('carries the token limit at top level, with or without an active block', () => {
    const active = snapshot('max', 6100);
    expect(active).toMatchObject({ tokenLimit: 6100, tokenLimitSource: 'max' });
    expect(active.activeBlock!.tokenLimit).toBe(6100);
    const quiet = quietSnapshot('max', 6100);
    expect(quiet.activeBlock).toBeNull();
    expect(quiet).toMatchObject({ tokenLimit: 6100, tokenLimitSource: 'max' });
    expect(quietSnapshot(50_000, 6100)).toMatchObject({
      tokenLimit: 50_000,
      tokenLimitSource: 'CTM_TOKEN_LIMIT',
    });
    expect(quietSnapshot('max', 0).tokenLimit).toBeNull();
  });
});

/** Only requests from more than five hours before `now`: no active block. */
function quietSnapshot(tokenLimit: number | 'max', maxBlockTokens: number, timezone = 'UTC') {
  const db = openDb(':memory:');
  insertUsageRows(db, [
    at('2026-01-15T08:00:00Z', 900), // weeks old
    at('2026-03-02T02:00:00Z', 100),
    at('2026-03-02T06:00:00Z', 200),
  ]);
  return liveSnapshot(db, {
    timezone,
    costMode: 'auto',
    tokenLimit,
    maxBlockTokens,
    now,
    lastIngestAt: null,
    lastBuildAt: null,
  });
}

describe('liveView', () => {
  it('formats figures exactly, comma-grouped, in the configured timezone, with a chart of columns', () => {
    const v = liveView(snapshot(10_000));
    expect(v.fields['today.totalTokens']).toBe('3,900');
    expect(v.fields['today.requests']).toBe('3 requests');
    expect(v.fields['block.range']).toBe('10:00–15:00');
    expect(v.fields['block.percent']).toBe('39.0 % of 10,000');
    expect(v.fields['block.remaining']).toBe('2 h 30 min');
    expect(v.gauge).toEqual({ value: 3900, max: 10_000 });
    expect(v.recent[0]).toEqual([
      '12:15:00',
      'sonnet-4-5',
      '300',
      '100',
      '0',
      '1,000',
      '1,400',
      expect.stringMatching(/^\$/),
    ]);
    expect(v.chart).toMatchObject({ xKind: 'time', draw: [[1200, 2500, 3900]], limit: { value: 10_000 } });
    expect(v.chart!.x).toEqual([
      Date.parse('2026-03-02T10:15:00Z') / 1000,
      Date.parse('2026-03-02T11:15:00Z') / 1000,
      Date.parse('2026-03-02T12:15:00Z') / 1000,
    ]);
  });

  it('shows the limit with no active block: the largest block, the configured one, or none yet', () => {
    const max = liveView(quietSnapshot('max', 1_234_567));
    expect(max.fields['block.state']).toBe('No active block');
    expect(max.fields['block.percent']).toBe('limit 1,234,567 tokens (largest block)');
    expect(max.gauge).toBeNull();
    expect(liveView(quietSnapshot(50_000, 6100)).fields['block.percent']).toBe(
      'limit 50,000 tokens (CTM_TOKEN_LIMIT)',
    );
    expect(liveView(quietSnapshot('max', 0)).fields['block.percent']).toBe('no limit yet');
  });

  it("dates requests not from today, the clock alone for today's", () => {
    expect(liveView(snapshot(10_000)).recent.map((r) => r[0])).toEqual([
      '12:15:00',
      '11:15:00',
      '10:15:00',
      '2026-03-01 09:10',
    ]);
    expect(liveView(quietSnapshot('max', 0)).recent.map((r) => r[0])).toEqual([
      '06:00:00',
      '02:00:00',
      '2026-01-15 08:00',
    ]);
  });

  it('decides today in the configured timezone', () => {
    // now is 07:30 on 2 March in New York: 02:00Z is 21:00 the day before there.
    expect(liveView(quietSnapshot('max', 0, 'America/New_York')).recent.map((r) => r[0])).toEqual([
      '01:00:00',
      '2026-03-01 21:00',
      '2026-01-15 03:00',
    ]);
    // now is 21:30 on 2 March in Tokyo: both of that day's requests are today's there.
    expect(liveView(quietSnapshot('max', 0, 'Asia/Tokyo')).recent.map((r) => r[0])).toEqual([
      '15:00:00',
      '11:00:00',
      '2026-01-15 17:00',
    ]);
  });
});

describe('liveView: official limits', () => {
  const H = 3_600_000;
  const window = (w: string, used: number, resetsAt: number, extra = {}) => ({
    window: w,
    usedPercentage: used,
    resetsAt,
    observedAt: now - 60_000,
    usedUsd: null,
    limitUsd: null,
    period: null,
    current: resetsAt > now,
    ...extra,
  });
  const withLimits = (officialLimits: LiveSnapshot['officialLimits']) => ({
    ...snapshot('max'),
    officialLimits,
  });

  it('each window with its reset beside the block estimate, and the step chart with the 90 % line', () => {
    const v = liveView(
      withLimits({
        windows: [
          window('five_hour', 41.4, Date.parse('2026-03-02T14:00:00Z')),
          window('seven_day', 63, Date.parse('2026-03-05T09:00:00Z')),
          window('spend_limit', 8, now + 400 * H, { usedUsd: 16.29, limitUsd: 200 }),
        ],
        series: { ts: [now - 2 * H, now - 60_000, now], fiveHour: [30, 41.4, 41.4], sevenDay: [60, 63, 63] },
      }),
    );
    expect(v.fields['limits.fiveHour']).toBe('41 % · resets 14:00');
    expect(v.fields['limits.sevenDay']).toBe('63 % · resets Thu 09:00');
    expect(v.fields['limits.spend']).toBe('8 % ($16.29 of $200.00) · resets Thu 04:30');
    expect(v.fields['limits.seen']).toBe('last seen 12:29:00');
    expect(v.limitsChart).toMatchObject({
      xKind: 'time',
      series: [
        { unit: 'percent', type: 'step' },
        { unit: 'percent', type: 'step' },
      ],
      values: [
        [30, 41.4, 41.4],
        [60, 63, 63],
      ],
      limit: { value: 90 },
    });
  });

  it('a window past its reset says so; nothing recorded says how to start', () => {
    const past = liveView(
      withLimits({
        windows: [window('five_hour', 80, now - H)],
        series: { ts: [now - 2 * H], fiveHour: [80], sevenDay: [null] },
      }),
    );
    expect(past.fields['limits.fiveHour']).toBe('reset at 11:30, no reading since');
    const none = liveView(withLimits(null));
    expect(none.fields['limits.fiveHour']).toBe('–');
    expect(none.fields['limits.seen']).toMatch(/ctm statusline --print-config/);
    expect(none.limitsChart).toBeNull();
  });
});
