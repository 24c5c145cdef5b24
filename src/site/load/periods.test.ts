// The site's weeks follow CTM_WEEK_START as `ctm report weekly` does: the /weeks/ rows, the chart's label and
// what the page says, a day page's "week of", on a real index of site-fixture's rows (Monday 2 and Wednesday
// 4 March 2026).
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { FIXTURE } from '../../../test/fixtures/site-fixture.ts';
import { siteIndex } from '../../../test/fixtures/site-index.ts';
import type { SiteContext } from '../site-context.ts';
import { loadPeriods } from './periods.ts';
import { loadDay } from './day.ts';

const index = siteIndex(FIXTURE);
afterAll(() => index.remove());
const ctx = (weekStart?: string): SiteContext => ({
  ...index.context('2026-03-05T12:00:00Z'),
  config: loadConfig({
    CTM_DATA_DIR: index.config.dataDir,
    CTM_TZ: 'UTC',
    ...(weekStart ? { CTM_WEEK_START: weekStart } : {}),
  }),
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
