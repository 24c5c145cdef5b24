// Data for the listings `/days/`, `/weeks/` and `/months/`: one row per period and a chart of them.
import type { SiteContext } from '../site-context.ts';
import { WEEKDAYS } from '../../config.ts';
import { periodTotals, type PeriodTotalsRow } from '../../db/queries/period-totals.ts';
import { periodBars } from '../../components/charts/period-bars.ts';
import type { ChartSpec } from '../../components/charts/chart-spec.ts';
import { statsCacheOnlyDays, type StatsCacheDay } from '../../db/queries/stats-cache-only-days.ts';
import { withStatsCacheSeries } from '../../components/charts/stats-cache-series.ts';

export type PeriodKind = 'day' | 'week' | 'month';

export interface PeriodsData {
  tz: string;
  kind: PeriodKind;
  rows: PeriodTotalsRow[];
  chart: ChartSpec;
  /** On the days listing: days known only from Claude Code's stats cache (their transcripts are gone). */
  statsCacheDays: StatsCacheDay[];
  /** The weekday weeks start on (CTM_WEEK_START), as the page says it: "Monday". */
  weekStartsOn: string;
}

const LABEL: Record<PeriodKind, string> = {
  day: 'Cost and tokens per day',
  week: 'Cost and tokens per week',
  month: 'Cost and tokens per month',
};

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function loadPeriods(ctx: SiteContext, kind: PeriodKind): PeriodsData {
  const rows = periodTotals(ctx.db, kind, ctx.filter, ctx.config.weekStart);
  const weekStartsOn = capitalize(WEEKDAYS[ctx.config.weekStart]);
  const cacheDays = kind === 'day' && !ctx.filter.project ? statsCacheOnlyDays(ctx.db) : [];
  const label = kind === 'week' ? `${LABEL.week} (weeks start on ${weekStartsOn})` : LABEL[kind];
  const bars = periodBars(rows, label, kind === 'month' ? (m) => `${m}-01` : (d) => d);
  return {
    tz: ctx.filter.timezone,
    kind,
    rows,
    chart: withStatsCacheSeries(bars, cacheDays),
    statsCacheDays: cacheDays,
    weekStartsOn,
  };
}
