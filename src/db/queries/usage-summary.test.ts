// A build's summary table answers the report queries exactly as the messages do (cost sums are rounded to
// COST_DECIMALS, so adding partial sums gives the very same numbers): every query that reads it, under every
// cost mode, in the stored timezone and in another one, over ranges, projects and all time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../open.ts';
import { insertUsageRows, syntheticRows } from '../../../bench/seed-usage-db.ts';
import { FIXTURE } from './site-fixture.ts';
import type { CostMode } from '../day-bucket.ts';
import type { SiteFilter } from './site-filter.ts';
import { usageTotals } from './usage-totals.ts';
import { usageBreakdown } from './usage-breakdown.ts';
import { periodTotals } from './period-totals.ts';
import { usageByDayModel } from './usage-by-day-model.ts';
import { ensureUsageSummary } from './usage-summary.ts';

let dir: string;
const dbs: Db[] = [];
const open = () => {
  const db = openDb(join(dir, 'ctm.db'), { readonly: true });
  dbs.push(db);
  return db;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctm-summary-'));
  const w = openDb(join(dir, 'ctm.db'));
  const rows = syntheticRows({
    endDay: '2026-03-20',
    days: 40,
    projects: 5,
    sessions: 60,
    requestsPerSession: 25,
  });
  // Two working directories for one project (its label is one of them either way) and the fixture's unpriced
  // model and subagent.
  insertUsageRows(w, [...rows, ...FIXTURE]);
  w.close();
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
  { fromDay: '2027-01-01' },
];

describe('usage summary', () => {
  for (const timezone of ['UTC', 'America/New_York']) {
    it(`gives every summary-reading query the messages' answer (${timezone})`, () => {
      const messages = open();
      const summary = open();
      let compared = 0;
      for (const costMode of ['auto', 'calculate', 'display'] as CostMode[]) {
        for (const rest of filters) {
          const f: SiteFilter = { timezone, costMode, ...rest };
          const s: SiteFilter = { ...f, summary: true };
          const same = (a: unknown, b: unknown) => {
            expect(b).toEqual(a);
            compared++;
          };
          same(usageTotals(messages, f), usageTotals(summary, s));
          for (const by of ['model', 'project', 'agent'] as const)
            same(usageBreakdown(messages, by, f), usageBreakdown(summary, by, s));
          for (const period of ['day', 'week', 'month'] as const)
            same(periodTotals(messages, period, f), periodTotals(summary, period, s));
          same(usageByDayModel(messages, f), usageByDayModel(summary, s));
        }
      }
      expect(compared).toBe(3 * filters.length * 8);
      // The summary is grouped: far fewer rows than messages.
      const count = (sql: string) => summary.prepare(sql).pluck().get() as number;
      expect(count('SELECT count(*) FROM temp.usage_summary')).toBeLessThan(
        count('SELECT count(*) FROM usage') / 4,
      );
    });
  }

  it('is made once per connection and refuses a second timezone on it', () => {
    const db = open();
    ensureUsageSummary(db, 'UTC');
    ensureUsageSummary(db, 'UTC');
    expect(() => ensureUsageSummary(db, 'Asia/Tokyo')).toThrow(/already made for UTC/);
  });
});
