// The machines and users pages and the overview's block on a real index holding three machines and two users
// (site-fixture's rows, two of its sessions moved to other machines as a hub stores them): the registry has
// the two pages, their queries sum each machine and user exactly, and the sums add up to the index's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/open.ts';
import { moveSession, siteIndex, type SiteIndex } from '../../test/fixtures/site-index.ts';
import { FIXTURE } from '../../test/fixtures/site-fixture.ts';
import { teamNames } from '../db/queries/team-names.ts';
import { teamBreakdown } from '../db/queries/team-breakdown.ts';
import { usageByDayTeam } from '../db/queries/usage-by-day-team.ts';
import { teamRecentSessions } from '../db/queries/team-recent-sessions.ts';
import { usageTotals } from '../db/queries/usage-totals.ts';
import type { SiteContext } from './site-context.ts';
import { allPages, loadPage, pageFile, siteKeys, type Page } from './pages.ts';
import type { TeamData } from './load/team.ts';
import type { TeamBreakdownData } from './load/team-breakdown.ts';

const LOCAL = { machine: 'laptop', user: 'me' };
const F = { timezone: 'UTC', costMode: 'auto' } as const;

describe('machines and users', () => {
  let index: SiteIndex;
  let db: Db;
  let ctx: SiteContext;

  beforeAll(() => {
    // s1 stays this machine's own (''), s2 comes from desk (bob), s3 from ci (this user, by name).
    index = siteIndex(FIXTURE, { CTM_MACHINE: 'laptop', CTM_USER: 'me' }, (w) => {
      moveSession(w, 's2', 'desk', 'bob');
      moveSession(w, 's3', 'ci', 'me');
    });
    db = index.db;
    ctx = index.context('2026-03-05T12:00:00Z');
  });
  afterAll(() => index.remove());

  it('names machines and users by their display names, this machine under its own', () => {
    expect(teamNames(db, LOCAL)).toEqual({ machines: ['ci', 'desk', 'laptop'], users: ['bob', 'me'] });
  });

  it('sums each machine and user exactly, adding up to the whole index', () => {
    const all = usageTotals(db, F);
    const machines = teamBreakdown(db, 'machine', F, LOCAL);
    expect(machines.map((r) => [r.key, r.sessions, r.messages, r.inputTokens])).toEqual([
      ['laptop', 1, 3, 3010],
      ['ci', 1, 1, 100],
      ['desk', 1, 1, 50],
    ]);
    const users = teamBreakdown(db, 'user', F, LOCAL);
    // 'me' is both this machine's own rows ('') and ci's, named 'me': one row.
    expect(users.map((r) => [r.key, r.sessions, r.messages])).toEqual([
      ['me', 2, 4],
      ['bob', 1, 1],
    ]);
    for (const rows of [machines, users]) {
      expect(rows.reduce((s, r) => s + r.totalTokens, 0)).toBe(all.totalTokens);
      expect(rows.reduce((s, r) => s + r.cost, 0)).toBeCloseTo(all.cost, 9);
    }
    // desk's only model has no price.
    expect(machines.find((r) => r.key === 'desk')!.unpricedMessages).toBe(1);
  });

  it('gives cost per day by machine', () => {
    const rows = usageByDayTeam(db, 'machine', F, LOCAL);
    expect(rows.map((r) => [r.day, r.model])).toEqual([
      ['2026-03-02', 'desk'],
      ['2026-03-02', 'laptop'],
      ['2026-03-04', 'ci'],
    ]);
    const laptop = teamBreakdown(db, 'machine', F, LOCAL).find((r) => r.key === 'laptop')!;
    expect(rows.find((r) => r.model === 'laptop')!.cost).toBeCloseTo(laptop.cost, 9);
  });

  it('lists each one’s most recent sessions, newest first, as many as asked', () => {
    expect(teamRecentSessions(db, 'user', F, LOCAL, 20)).toEqual([
      { key: 'bob', sessionId: 's2' },
      { key: 'me', sessionId: 's3' },
      { key: 'me', sessionId: 's1' },
    ]);
    expect(teamRecentSessions(db, 'user', F, LOCAL, 1).filter((r) => r.key === 'me')).toEqual([
      { key: 'me', sessionId: 's3' },
    ]);
    expect(teamRecentSessions(db, 'machine', { ...F, toDay: '2026-03-03' }, LOCAL, 20)).toEqual([
      { key: 'desk', sessionId: 's2' },
      { key: 'laptop', sessionId: 's1' },
    ]);
  });

  it('has a machines and a users page, each with its members, chart and sessions', () => {
    const pages = allPages(siteKeys(ctx));
    const team = pages.filter((p) => p.kind === 'machines' || p.kind === 'users');
    expect(team.map(pageFile)).toEqual(['machines/index.html', 'users/index.html']);
    const machines = loadPage(ctx, { kind: 'machines', key: '' }) as TeamData;
    expect(machines.members.map((m) => [m.key, m.sessionList.map((s) => s.sessionId)])).toEqual([
      ['laptop', ['s1']],
      ['ci', ['s3']],
      ['desk', ['s2']],
    ]);
    expect(machines.chart.series.map((s) => s.label).sort()).toEqual(['ci', 'desk', 'laptop']);
    expect(machines.nav).toEqual({ machines: true, users: true });
    const users = loadPage(ctx, { kind: 'users', key: '' }) as TeamData;
    expect(users.members.map((m) => [m.key, m.sessionList.map((s) => s.sessionId)])).toEqual([
      ['me', ['s3', 's1']],
      ['bob', ['s2']],
    ]);
  });

  it('adds a machines and users block to the overview, of the last 30 days', () => {
    const overview = loadPage(ctx, { kind: 'overview', key: '' }) as { team: TeamBreakdownData };
    expect(overview.team.machines.map((r) => r.key)).toEqual(['laptop', 'ci', 'desk']);
    expect(overview.team.users.map((r) => r.key)).toEqual(['me', 'bob']);
    const later = { ...ctx, now: Date.parse('2026-05-01T12:00:00Z') };
    expect((loadPage(later, { kind: 'overview', key: '' }) as { team: TeamBreakdownData }).team).toEqual({
      machines: [],
      users: [],
    });
  });

  it('has no page and no block for a single machine and user', () => {
    const single = siteIndex(FIXTURE);
    try {
      const one = { ...ctx, db: single.db };
      expect(allPages(siteKeys(one)).filter((p) => p.kind === 'machines' || p.kind === 'users')).toEqual([]);
      for (const kind of ['machines', 'users'] as Page['kind'][])
        expect(loadPage(one, { kind, key: '' })).toBeUndefined();
      expect((loadPage(one, { kind: 'overview', key: '' }) as { team?: unknown }).team).toBeUndefined();
    } finally {
      single.remove();
    }
  });
});
