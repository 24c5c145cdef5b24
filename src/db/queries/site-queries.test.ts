// The report site's queries against a real SQLite file with the real migrations and a small, exactly known
// data set: two days, two projects, three sessions, an unpriced model and a subagent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../open.ts';
import { insertUsageRows } from '../../../test/fixtures/seed-usage-db.ts';
import { FIXTURE, SONNET, at, base } from '../../../test/fixtures/site-fixture.ts';
import { usageTotals } from './usage-totals.ts';
import { usageByDayModel } from './usage-by-day-model.ts';
import { usageByHour } from './usage-by-hour.ts';
import { usageBreakdown } from './usage-breakdown.ts';
import { periodTotals } from './period-totals.ts';
import { sessionList } from './session-list.ts';
import { sessionRequests } from './session-requests.ts';
import { sessionStarts } from './session-starts.ts';
import { sessionFirstRequests } from './session-first-requests.ts';
import { routeKeys } from './route-keys.ts';
import { adjacentDays } from './adjacent-days.ts';
import { metaValue } from './meta-value.ts';
import { sumColumns } from './site-filter.ts';
import { costExpr } from '../day-bucket.ts';

let dir: string;
let db: Db;
const f = { timezone: 'UTC', costMode: 'auto' as const };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctm-site-q-'));
  const w = openDb(join(dir, 'ctm.db'));
  insertUsageRows(w, FIXTURE);
  w.close();
  db = openDb(join(dir, 'ctm.db'), { readonly: true });
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('report site queries', () => {
  it('sums a range, counting sessions and unpriced messages', () => {
    const all = usageTotals(db, f);
    expect(all).toMatchObject({
      inputTokens: 3160,
      outputTokens: 655,
      cacheWrite5mTokens: 700,
      cacheWrite1hTokens: 400,
      cacheReadTokens: 5000,
      totalTokens: 3160 + 655 + 700 + 400 + 5000,
      messages: 5,
      unpricedMessages: 1,
      sessions: 3,
    });
    expect(all.cost).toBeGreaterThan(0);
    const none = usageTotals(db, { ...f, fromDay: '2027-01-01' });
    expect(none).toMatchObject({ totalTokens: 0, cost: 0, messages: 0, sessions: 0, firstTs: null });
    expect(usageTotals(db, { ...f, fromDay: '2026-03-04' }).sessions).toBe(1);
    expect(usageTotals(db, { ...f, project: '-home-me-beta' }).totalTokens).toBe(100);
    expect(usageTotals(db, { ...f, sessionId: 's1' }).messages).toBe(3);
  });

  it('groups by day and model, and by hour of one day', () => {
    const rows = usageByDayModel(db, f);
    expect(rows.map((r) => [r.day, r.model, r.totalTokens])).toEqual([
      ['2026-03-02', SONNET, 9215],
      ['2026-03-02', 'mystery-model-1', 100],
      ['2026-03-04', SONNET, 600],
    ]);
    expect(rows[1]!.unpricedMessages).toBe(1);
    expect(rows[1]!.cost).toBe(0);
    const hours = usageByHour(db, { ...f, fromDay: '2026-03-02', toDay: '2026-03-02' });
    expect(hours.map((h) => [h.hour, h.messages])).toEqual([
      [9, 2],
      [10, 1],
      [23, 1],
    ]);
  });

  it('follows the configured timezone when it differs from the stored one', () => {
    const ny = { ...f, timezone: 'America/New_York' };
    expect(usageByDayModel(db, ny).map((r) => r.day)).toEqual(['2026-03-02', '2026-03-02', '2026-03-04']);
    const hours = usageByHour(db, { ...ny, fromDay: '2026-03-02', toDay: '2026-03-02' });
    expect(hours.map((h) => h.hour)).toEqual([4, 5, 18]);
  });

  it('breaks down by model, project and thread, biggest cost first', () => {
    const models = usageBreakdown(db, 'model', f);
    expect(models.map((m) => m.key)).toEqual([SONNET, 'mystery-model-1']);
    const projects = usageBreakdown(db, 'project', f);
    expect(projects.map((p) => [p.key, p.label, p.sessions])).toEqual([
      ['-home-me-alpha', '/home/me/alpha', 2],
      ['-home-me-beta', '/home/me/beta', 1],
    ]);
    expect(projects[0]).toMatchObject({ firstDay: '2026-03-02', lastDay: '2026-03-04' });
    const agents = usageBreakdown(db, 'agent', { ...f, sessionId: 's1' });
    expect(agents.map((a) => [a.key, a.messages])).toEqual([
      ['', 2],
      ['agent-a', 1],
    ]);
  });

  it('totals days, Monday weeks and months, newest first', () => {
    expect(periodTotals(db, 'day', f).map((r) => [r.period, r.sessions, r.messages])).toEqual([
      ['2026-03-04', 1, 1],
      ['2026-03-02', 2, 4],
    ]);
    expect(periodTotals(db, 'week', f).map((r) => [r.period, r.activeDays])).toEqual([['2026-03-02', 2]]);
    expect(periodTotals(db, 'month', f).map((r) => r.period)).toEqual(['2026-03']);
  });

  it('keys weeks by the day CTM_WEEK_START names', () => {
    expect(periodTotals(db, 'week', f, 0).map((r) => [r.period, r.activeDays])).toEqual([['2026-03-01', 2]]);
    // Wednesday weeks: Monday 2 March falls in the week of 25 February, Wednesday 4 March opens its own.
    expect(periodTotals(db, 'week', f, 3).map((r) => [r.period, r.messages])).toEqual([
      ['2026-03-04', 1],
      ['2026-02-25', 4],
    ]);
  });

  it('lists sessions with span, models and subagents, newest first, optionally by id', () => {
    const list = sessionList(db, f);
    expect(list.map((s) => s.sessionId)).toEqual(['s3', 's2', 's1']);
    const s1 = list.find((s) => s.sessionId === 's1')!;
    expect(s1).toMatchObject({
      project: '-home-me-alpha',
      cwd: '/home/me/alpha',
      firstTs: at('2026-03-02T09:15:00Z'),
      lastTs: at('2026-03-02T10:05:00Z'),
      firstDay: '2026-03-02',
      messages: 3,
      subagents: 1,
      models: SONNET,
      gitBranch: 'main',
      version: '2.1.3',
    });
    expect(sessionList(db, f, { ids: ['s1', 's2'] }).map((s) => s.sessionId)).toEqual(['s2', 's1']);
    expect(sessionList(db, { ...f, fromDay: '2026-03-02', toDay: '2026-03-02' }, { ids: ['s3'] })).toEqual(
      [],
    );
  });

  it('returns a session’s requests in time order without any text', () => {
    const rows = sessionRequests(db, 's1', 'auto');
    expect(rows.map((r) => r.ts)).toEqual([
      at('2026-03-02T09:15:00Z'),
      at('2026-03-02T09:45:00Z'),
      at('2026-03-02T10:05:00Z'),
    ]);
    expect(Object.keys(rows[0]!).sort()).toEqual(
      [
        'agentId',
        'cacheReadTokens',
        'cacheWrite1hTokens',
        'cacheWrite5mTokens',
        'cost',
        'inputTokens',
        'model',
        'outputTokens',
        'thinkingTokens',
        'totalTokens',
        'ts',
        'webFetchRequests',
        'webSearchRequests',
      ].sort(),
    );
    expect(sessionRequests(db, 's2', 'auto')[0]!.cost).toBeNull();
  });

  it('lists every project and session, whatever its name (each page has a slug)', () => {
    const path = join(dir, 'odd.db');
    const w = openDb(path);
    insertUsageRows(w, [
      ...FIXTURE.slice(0, 2),
      { ...FIXTURE[0]!, ts: FIXTURE[0]!.ts + 1, project: 'odd#dir', sessionId: 'odd?id' },
    ]);
    w.close();
    const odd = openDb(path, { readonly: true });
    const keys = routeKeys(odd, 'UTC');
    odd.close();
    expect(keys.projects).toContain('odd#dir');
    expect(keys.sessions).toContain('odd?id');
  });

  it('knows which pages exist and their neighbours', () => {
    expect(routeKeys(db, 'UTC')).toEqual({
      days: ['2026-03-02', '2026-03-04'],
      months: ['2026-03'],
      projects: ['-home-me-alpha', '-home-me-beta'],
      sessions: ['s1', 's2', 's3'],
    });
    expect(adjacentDays(db, 'UTC', '2026-03-04')).toEqual({ prev: '2026-03-02', next: null });
    expect(adjacentDays(db, 'UTC', '2026-03-03')).toEqual({ prev: '2026-03-02', next: '2026-03-04' });
    expect(sessionStarts(db).find((s) => s.sessionId === 's1')).toEqual({
      sessionId: 's1',
      firstTs: at('2026-03-02T09:15:00Z'),
      lastTs: at('2026-03-02T10:05:00Z'),
    });
    expect(sessionFirstRequests(db, ['s1', 'nope', 's3'])).toEqual(
      new Map([
        ['s1', at('2026-03-02T09:15:00Z')],
        ['s3', at('2026-03-04T08:00:00Z')],
      ]),
    );
    expect(metaValue(db, 'timezone')).toBe('UTC');
    expect(metaValue(db, 'nope')).toBeUndefined();
  });
});

describe('day index', () => {
  it('serves day-range reads of the messages (sums, sessions, project labels, subagents, hours) by day', () => {
    const range = "WHERE day >= '2026-03-01' AND day <= '2026-03-31'";
    for (const select of [
      `SELECT ${sumColumns(costExpr('auto'))}, count(DISTINCT session_id), min(ts), max(ts) FROM usage ${range}`,
      `SELECT project, coalesce(cwd, project), max(ts), count(DISTINCT session_id), min(day) FROM usage ${range} GROUP BY 1`,
      `SELECT coalesce(agent_id, ''), count(DISTINCT session_id) FROM usage ${range} GROUP BY 1`,
      `SELECT hour, sum(total_tokens) FROM usage ${range} GROUP BY hour`,
    ]) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${select}`).all() as { detail: string }[])
        .map((r) => r.detail)
        .join(' | ');
      expect(plan, select).toMatch(/USING INDEX messages_day \(day>\? AND day<\?\)/);
    }
  });
});
