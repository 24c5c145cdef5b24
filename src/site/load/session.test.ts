// A session page's data is the same whether its summary row comes from the build's list of every session
// (a build) or from a query for that one session (the refresh).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/open.ts';
import { siteIndex, type SiteIndex } from '../../../test/fixtures/site-index.ts';
import { FIXTURE } from '../../../test/fixtures/site-fixture.ts';
import { sessionList } from '../../db/queries/session-list.ts';
import type { SiteContext } from '../site-context.ts';
import { loadSession } from './session.ts';
import { sessionStartMonths } from '../session-start-months.ts';

let index: SiteIndex;
let db: Db;
let ctx: SiteContext;

beforeAll(() => {
  index = siteIndex(
    [
      ...FIXTURE,
      // Starts on February 28th in UTC, on March 1st in Berlin.
      { ...FIXTURE[0]!, ts: Date.parse('2026-02-28T23:30:00Z'), sessionId: 'late' },
      { ...FIXTURE[0]!, ts: Date.parse('2026-03-01T10:00:00Z'), sessionId: 'late' },
    ],
    { CTM_TZ: 'Europe/Berlin' },
  );
  db = index.db;
  ctx = {
    config: index.config,
    db,
    filter: { timezone: 'Europe/Berlin', costMode: 'auto' },
    now: Date.now(),
  };
});
afterAll(() => index.remove());

describe('loadSession', () => {
  it('gives the same page data from the list of every session as from its own query', () => {
    const rows = new Map(sessionList(db, ctx.filter).map((r) => [r.sessionId, r]));
    expect(rows.size).toBe(4);
    for (const id of rows.keys()) {
      const own = loadSession(ctx, id);
      expect(own?.session.sessionId).toBe(id);
      expect(loadSession(ctx, id, rows)).toEqual(own);
    }
    expect(loadSession(ctx, 'no-such-session', rows)).toBeUndefined();
    expect(loadSession(ctx, 'no-such-session')).toBeUndefined();
  });
});

describe('sessionStartMonths', () => {
  it('gives the local month each session started in, once each', () => {
    expect(sessionStartMonths(db, 'UTC', ['late', 's1', 's3', 'missing'])).toEqual(['2026-02', '2026-03']);
    expect(sessionStartMonths(db, 'Europe/Berlin', ['late', 's1'])).toEqual(['2026-03']);
    expect(sessionStartMonths(db, 'UTC', [])).toEqual([]);
  });
});
