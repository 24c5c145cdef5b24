// usage_daily answers the report queries exactly as the messages do (cost sums are rounded to COST_DECIMALS, so
// adding partial sums gives the very same numbers): every query that reads it, under every cost mode, over
// ranges, projects, sessions and all time, against the same index with the rollup hidden (an index older than
// migration 008) and in another timezone, which always sums the messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../open.ts';
import { insertUsageRows, syntheticRows } from '../../../test/fixtures/seed-usage-db.ts';
import { FIXTURE } from '../../../test/fixtures/site-fixture.ts';
import type { CostMode } from '../day-bucket.ts';
import { siteSql, type SiteFilter } from './site-filter.ts';
import { usageTotals } from './usage-totals.ts';
import { usageBreakdown } from './usage-breakdown.ts';
import { periodTotals } from './period-totals.ts';
import { usageByDayModel } from './usage-by-day-model.ts';

let dir: string;
const dbs: Db[] = [];
const open = (name: string) => {
  const db = openDb(join(dir, name), { readonly: true });
  dbs.push(db);
  return db;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctm-site-sums-'));
  const w = openDb(join(dir, 'ctm.db'));
  const rows = syntheticRows({
    endDay: '2026-03-20',
    days: 40,
    projects: 5,
    sessions: 60,
    requestsPerSession: 25,
  });
  // The fixture brings an unpriced model and a subagent; one of its sessions also ran in a subdirectory.
  const [first] = FIXTURE;
  const moved = { ...first!, ts: first!.ts + 60_000, cwd: `${first!.cwd}/sub` };
  insertUsageRows(w, [...rows, ...FIXTURE, moved]);
  w.close();
  copyFileSync(join(dir, 'ctm.db'), join(dir, 'old.db'));
  const old = openDb(join(dir, 'old.db'), { readonly: false });
  old.pragma('user_version = 7');
  old.close();
});
afterAll(() => {
  for (const db of dbs) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const filters: Omit<SiteFilter, 'timezone' | 'costMode'>[] = [
  {},
  { fromDay: '2026-03-01' },
  { toDay: '2026-03-01' },
  { fromDay: '2026-03-05', toDay: '2026-03-05' },
  { project: '-home-dev-app-02' },
  { project: '-home-dev-app-02', fromDay: '2026-03-10', toDay: '2026-03-16' },
  { sessionId: FIXTURE[0]!.sessionId },
  { machines: [''], users: [''] },
  { fromDay: '2027-01-01' },
];

describe('usage_daily as the sums of the site', () => {
  it("gives every query the messages' answer", () => {
    const rollup = open('ctm.db');
    const messages = open('old.db');
    expect(siteSql(rollup, { timezone: 'UTC', costMode: 'auto' }).from).toBe('usage_daily');
    expect(siteSql(messages, { timezone: 'UTC', costMode: 'auto' }).from).toBe('usage');
    expect(siteSql(rollup, { timezone: 'America/New_York', costMode: 'auto' }).from).toBe('usage');
    let compared = 0;
    for (const costMode of ['auto', 'calculate', 'display'] as CostMode[]) {
      for (const rest of filters) {
        const f: SiteFilter = { timezone: 'UTC', costMode, ...rest };
        const same = (a: unknown, b: unknown) => {
          expect(b).toEqual(a);
          compared++;
        };
        same(usageTotals(messages, f), usageTotals(rollup, f));
        for (const by of ['model', 'project', 'agent'] as const)
          same(usageBreakdown(messages, by, f), usageBreakdown(rollup, by, f));
        for (const period of ['day', 'week', 'month'] as const)
          same(periodTotals(messages, period, f), periodTotals(rollup, period, f));
        same(usageByDayModel(messages, f), usageByDayModel(rollup, f));
      }
    }
    expect(compared).toBe(3 * filters.length * 8);
    const count = (sql: string) => rollup.prepare(sql).pluck().get() as number;
    // Grouped by session and day: far fewer rows than messages.
    expect(count('SELECT count(*) FROM usage_daily')).toBeLessThan(count('SELECT count(*) FROM usage') / 4);
  });

  it('labels a project with its least working directory, whichever table is read', () => {
    const rollup = open('ctm.db');
    const f: SiteFilter = { timezone: 'UTC', costMode: 'auto' };
    const cwds = rollup
      .prepare('SELECT project, min(cwd) AS cwd, count(DISTINCT cwd) AS n FROM usage GROUP BY project')
      .all() as { project: string; cwd: string; n: number }[];
    expect(cwds.some((c) => c.n > 1)).toBe(true);
    const labels = Object.fromEntries(usageBreakdown(rollup, 'project', f).map((r) => [r.key, r.label]));
    expect(labels).toEqual(Object.fromEntries(cwds.map((c) => [c.project, c.cwd])));
  });
});
