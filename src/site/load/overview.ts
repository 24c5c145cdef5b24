// Data for `/`: today, this week, this month and all time; 90 days of cost by model; top projects and models of
// the last 30 days; the current 5-hour block; freshness; the models without a price in the last 90 days.
// Idle (no usage in the last 30 days): the cards are the last active day and the 30 and 90 days ending there,
// and a window that would hold nothing ends at the last active day instead, so the page shows what was used.
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
import { lastActivity } from '../../db/queries/last-activity.ts';

/** A window of days the chart or the top lists cover, and how the page names it. */
export interface DayWindow {
  from: string;
  to: string;
  /** "last 30 days", or "30 days to 2026-07-14" when it ends at the last active day. */
  label: string;
}

export interface IdleState {
  /** The last local day with usage, and how many days before today it is. */
  lastDay: string;
  /** The last request's time (the page prints it in the configured timezone). */
  lastTs: number;
  daysAgo: number;
}

export interface OverviewData {
  tz: string;
  now: number;
  today: string;
  periods: { label: string; from: string; totals: UsageTotals }[];
  /** Set when the last usage is 30 or more days before today; the page then says when it was. */
  idle: IdleState | undefined;
  window30: DayWindow;
  window90: DayWindow;
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

/** The window of `days` days ending today, or ending at the last active day when it would hold no usage. */
function dayWindow(days: number, today: string, lastDay: string | undefined): DayWindow {
  const from = addDays(today, 1 - days);
  if (lastDay === undefined || lastDay >= from) return { from, to: today, label: `last ${days} days` };
  return { from: addDays(lastDay, 1 - days), to: lastDay, label: `${days} days to ${lastDay}` };
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function loadOverview(ctx: SiteContext): OverviewData {
  const { db, filter, now, config } = ctx;
  const tz = filter.timezone;
  const today = localDay(now, tz);
  const last = lastActivity(db, filter);
  const idle = last && last.day < addDays(today, -29) ? last.day : undefined;
  const window30 = dayWindow(30, today, idle);
  const idle90 = dayWindow(90, today, idle);
  // Days only the stats cache knows are usage too: the chart keeps the current 90 days when it has any.
  const current90 = dayWindow(90, today, undefined);
  const currentCacheDays = filter.project ? [] : statsCacheOnlyDays(db, current90.from, current90.to);
  const window90 = currentCacheDays.length > 0 ? current90 : idle90;
  const periods = (
    idle
      ? [
          { label: 'Last active day', from: idle, to: idle },
          { label: capitalize(window30.label), from: window30.from, to: window30.to },
          { label: capitalize(idle90.label), from: idle90.from, to: idle90.to },
          { label: 'All time', from: '' },
        ]
      : [
          { label: 'Today', from: today },
          { label: 'This week', from: weekStart(today, config.weekStart) },
          { label: 'This month', from: `${today.slice(0, 7)}-01` },
          { label: 'All time', from: '' },
        ]
  ).map(({ to, ...p }: { label: string; from: string; to?: string }) => ({
    ...p,
    totals: usageTotals(db, p.from ? { ...filter, fromDay: p.from, toDay: to } : filter),
  }));
  const daily = usageByDayModel(db, { ...filter, fromDay: window90.from, toDay: window90.to });
  const blocks = blockHistory(db, filter.costMode, now, config.tokenLimit);
  const ingest = metaValue(db, 'last_ingest_at');
  const cacheDays =
    window90 === current90 || filter.project
      ? currentCacheDays
      : statsCacheOnlyDays(db, window90.from, window90.to);
  // A current window has no end (as ever); one ending at the last active day ends there.
  const top = { ...filter, fromDay: window30.from, toDay: idle ? window30.to : undefined };
  return {
    tz,
    now,
    today,
    periods,
    idle:
      last && idle
        ? { lastDay: idle, lastTs: last.ts, daysAgo: daysBetween(idle, today).length - 1 }
        : undefined,
    window30,
    window90,
    chart: withStatsCacheSeries(
      dailyByModel(
        daily,
        daysBetween(window90.from, window90.to),
        'cost',
        `Cost per day by model, ${window90.label}`,
      ),
      cacheDays,
    ),
    topProjects: nameProjects(db, usageBreakdown(db, 'project', top).slice(0, 8)),
    topModels: usageBreakdown(db, 'model', top).slice(0, 8),
    unpricedModels: [...new Set(daily.filter((r) => r.unpricedMessages > 0).map((r) => r.model))].sort(),
    block: blocks.active,
    blockLimit: blocks.limit,
    lastIngestAt: ingest ? Number(ingest) : null,
    statsCacheDays: cacheDays,
  };
}
