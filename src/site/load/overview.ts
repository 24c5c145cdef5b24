// Data for `/`: today, this week, this month and all time; 90 days of cost by model; top projects and models of
// the last 30 days; the current 5-hour block; freshness; the models without a price in the last 90 days.
import type { SiteContext } from '../site-context.ts';
import { usageTotals, type UsageTotals } from '../../db/queries/usage-totals.ts';
import { usageByDayModel } from '../../db/queries/usage-by-day-model.ts';
import { usageBreakdown, type BreakdownRow } from '../../db/queries/usage-breakdown.ts';
import { nameProjects, type ProjectNamed } from '../project-labels.ts';
import { metaValue } from '../../db/queries/meta-value.ts';
import { dailyByModel } from '../../components/charts/daily-by-model.ts';
import type { ChartSpec } from '../../components/charts/chart-spec.ts';
import { addDays, daysBetween, localDay, weekStart } from '../../format/local-format.ts';
import { blockHistory } from '../block-history.ts';
import { statsCacheOnlyDays, type StatsCacheDay } from '../../db/queries/stats-cache-only-days.ts';
import { withStatsCacheSeries } from '../../components/charts/stats-cache-series.ts';
import type { Block } from '../../report/identify-blocks.ts';

export interface OverviewData {
  tz: string;
  now: number;
  today: string;
  periods: { label: string; from: string; totals: UsageTotals }[];
  chart: ChartSpec;
  topProjects: (BreakdownRow & ProjectNamed)[];
  topModels: BreakdownRow[];
  unpricedModels: string[];
  block: Block | undefined;
  blockLimit: number;
  lastIngestAt: number | null;
  /** Days of the last 90 known only from Claude Code's stats cache (their transcripts are gone). */
  statsCacheDays: StatsCacheDay[];
}

export function loadOverview(ctx: SiteContext): OverviewData {
  const { db, filter, now, config } = ctx;
  const tz = filter.timezone;
  const today = localDay(now, tz);
  const from90 = addDays(today, -89);
  const from30 = addDays(today, -29);
  const periods = [
    { label: 'Today', from: today },
    { label: 'This week', from: weekStart(today) },
    { label: 'This month', from: `${today.slice(0, 7)}-01` },
    { label: 'All time', from: '' },
  ].map((p) => ({
    ...p,
    totals: usageTotals(db, p.from ? { ...filter, fromDay: p.from } : filter),
  }));
  const daily = usageByDayModel(db, { ...filter, fromDay: from90, toDay: today });
  const blocks = blockHistory(db, filter.costMode, now, config.tokenLimit);
  const ingest = metaValue(db, 'last_ingest_at');
  const cacheDays = filter.project ? [] : statsCacheOnlyDays(db, from90, today);
  return {
    tz,
    now,
    today,
    periods,
    chart: withStatsCacheSeries(
      dailyByModel(daily, daysBetween(from90, today), 'cost', 'Cost per day by model, last 90 days'),
      cacheDays,
    ),
    topProjects: nameProjects(db, usageBreakdown(db, 'project', { ...filter, fromDay: from30 }).slice(0, 8)),
    topModels: usageBreakdown(db, 'model', { ...filter, fromDay: from30 }).slice(0, 8),
    unpricedModels: [...new Set(daily.filter((r) => r.unpricedMessages > 0).map((r) => r.model))].sort(),
    block: blocks.active,
    blockLimit: blocks.limit,
    lastIngestAt: ingest ? Number(ingest) : null,
    statsCacheDays: cacheDays,
  };
}
