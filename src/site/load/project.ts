// Data for `/projects/<project>/`: its display name and working directory, totals, cost per day by model over its active range, its
// sessions and models.
import type { SiteContext } from '../site-context.ts';
import { usageTotals, type UsageTotals } from '../../db/queries/usage-totals.ts';
import { usageByDayModel } from '../../db/queries/usage-by-day-model.ts';
import { usageBreakdown, type BreakdownRow } from '../../db/queries/usage-breakdown.ts';
import { sessionList, type SessionListRow } from '../../db/queries/session-list.ts';
import { dailyByModel } from '../../components/charts/daily-by-model.ts';
import type { ChartSpec } from '../../components/charts/chart-spec.ts';
import { daysBetween, localDay } from '../../format/local-format.ts';
import { projectLabel } from '../project-labels.ts';

export interface ProjectData {
  tz: string;
  project: string;
  /** The display name every page shows for it. */
  name: string;
  /** Its working directory, shown under the name. */
  path: string;
  totals: UsageTotals;
  chart: ChartSpec;
  models: BreakdownRow[];
  sessions: SessionListRow[];
}

export function loadProject(ctx: SiteContext, project: string): ProjectData | undefined {
  const { db, filter } = ctx;
  const f = { ...filter, project };
  const totals = usageTotals(db, f);
  if (totals.messages === 0 || totals.firstTs === null || totals.lastTs === null) return undefined;
  const sessions = sessionList(db, f);
  const from = localDay(totals.firstTs, filter.timezone);
  const to = localDay(totals.lastTs, filter.timezone);
  return {
    tz: filter.timezone,
    project,
    ...projectLabel(db, project),
    totals,
    chart: dailyByModel(usageByDayModel(db, f), daysBetween(from, to), 'cost', 'Cost per day by model'),
    models: usageBreakdown(db, 'model', f),
    sessions,
  };
}
