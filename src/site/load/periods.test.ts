// The site's weeks follow CTM_WEEK_START as `ctm report weekly` does: the /weeks/ rows, the chart's label and
// what the page says, a day page's "week of", on a real index of site-fixture's rows (Monday 2 and Wednesday
// 4 March 2026).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../../db/open.ts';
import { loadConfig } from '../../config.ts';
import { insertUsageRows } from '../../../test/fixtures/seed-usage-db.ts';
import { FIXTURE } from '../../../test/fixtures/site-fixture.ts';
import type { SiteContext } from '../site-context.ts';
import { loadPeriods } from './periods.ts';
import { loadDay } from './day.ts';

let dir: string;
let db: Db;
const ctx = (weekStart?: string): SiteContext => ({
  config: loadConfig({
    CTM_DATA_DIR: dir,
    CTM_TZ: 'UTC',
    ...(weekStart ? { CTM_WEEK_START: weekStart } : {}),
  }),
  db,
  filter: { timezone: 'UTC', costMode: 'auto' },
  now: Date.parse('2026-03-05T12:00:00Z'),
});

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctm-periods-'));
  const w = openDb(join(dir, 'ctm.db'));
  insertUsageRows(w, FIXTURE);
  w.close();
  db = openDb(join(dir, 'ctm.db'), { readonly: true });
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('weeks on the site', () => {
  it('start on Monday by default', () => {
    const weeks = loadPeriods(ctx(), 'week');
    expect(weeks.rows.map((r) => r.period)).toEqual(['2026-03-02']);
    expect(weeks.weekStartsOn).toBe('Monday');
    expect(weeks.chart.label).toBe('Cost and tokens per week (weeks start on Monday)');
    expect(loadDay(ctx(), '2026-03-04').weekStart).toBe('2026-03-02');
  });

  it('start on the day CTM_WEEK_START names', () => {
    const weeks = loadPeriods(ctx('wednesday'), 'week');
    expect(weeks.rows.map((r) => r.period)).toEqual(['2026-03-04', '2026-02-25']);
    expect(weeks.weekStartsOn).toBe('Wednesday');
    expect(weeks.chart.label).toBe('Cost and tokens per week (weeks start on Wednesday)');
    expect(loadDay(ctx('sunday'), '2026-03-04').weekStart).toBe('2026-03-01');
  });
});
