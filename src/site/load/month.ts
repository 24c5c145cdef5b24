// Data for `/months/YYYY-MM/`: totals, cost per day by model, by model, by project and per day.
import type { SiteContext } from '../site-context.ts';
import { usageTotals, type UsageTotals } from '../../db/queries/usage-totals.ts';
import { usageByDayModel } from '../../db/queries/usage-by-day-model.ts';
import { usageBreakdown, type BreakdownRow } from '../../db/queries/usage-breakdown.ts';
import { nameProjects, type ProjectNamed } from '../project-labels.ts';
import { periodTotals, type PeriodTotalsRow } from '../../db/queries/period-totals.ts';
import { dailyByModel } from '../../components/charts/daily-by-model.ts';
import type { ChartSpec } from '../../components/charts/chart-spec.ts';
import { daysBetween, lastDayOfMonth } from '../../format/local-format.ts';

export interface MonthData {
  tz: string;
  month: string;
  totals: UsageTotals;
  chart: ChartSpec;
  models: BreakdownRow[];
  projects: (BreakdownRow & ProjectNamed)[];
  days: PeriodTotalsRow[];
}

export function loadMonth(ctx: SiteContext, month: string): MonthData {
  const { db, filter } = ctx;
  const from = `${month}-01`;
  const to = lastDayOfMonth(month);
  const f = { ...filter, fromDay: from, toDay: to };
  return {
    tz: filter.timezone,
    month,
    totals: usageTotals(db, f),
    chart: dailyByModel(
      usageByDayModel(db, f),
      daysBetween(from, to),
      'cost',
      `Cost per day by model, ${month}`,
    ),
    models: usageBreakdown(db, 'model', f),
    projects: nameProjects(db, usageBreakdown(db, 'project', f)),
    days: periodTotals(db, 'day', f),
  };
}
