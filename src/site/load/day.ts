// Data for `/days/YYYY-MM-DD/`: the day's totals, tokens and cost by hour, by model, by project, its sessions.
import type { SiteContext } from '../site-context.ts';
import { usageTotals, type UsageTotals } from '../../db/queries/usage-totals.ts';
import { usageByHour } from '../../db/queries/usage-by-hour.ts';
import { usageBreakdown, type BreakdownRow } from '../../db/queries/usage-breakdown.ts';
import { sessionList, type SessionListRow } from '../../db/queries/session-list.ts';
import { nameProjects, nameSessions, type ProjectNamed } from '../project-labels.ts';
import { adjacentDays } from '../../db/queries/adjacent-days.ts';
import { hourlyByKind } from '../../components/charts/hourly-by-kind.ts';
import type { ChartSpec } from '../../components/charts/chart-spec.ts';
import { weekStart } from '../../format/local-format.ts';

export interface DayData {
  tz: string;
  day: string;
  /** The first day of its week (CTM_WEEK_START). */
  weekStart: string;
  totals: UsageTotals;
  chart: ChartSpec;
  models: BreakdownRow[];
  projects: (BreakdownRow & ProjectNamed)[];
  sessions: (SessionListRow & ProjectNamed)[];
  prev: string | null;
  next: string | null;
}

export function loadDay(ctx: SiteContext, day: string): DayData {
  const { db, filter } = ctx;
  const f = { ...filter, fromDay: day, toDay: day };
  return {
    tz: filter.timezone,
    day,
    weekStart: weekStart(day, ctx.config.weekStart),
    totals: usageTotals(db, f),
    chart: hourlyByKind(usageByHour(db, f), day),
    models: usageBreakdown(db, 'model', f),
    projects: nameProjects(db, usageBreakdown(db, 'project', f)),
    sessions: nameSessions(db, sessionList(db, f)),
    ...adjacentDays(db, filter.timezone, day),
  };
}
