// A report of one kind (period, session or blocks) built from the index: the data `ctm report` prints as a
// table, as ccusage's JSON or as CSV. Each kind loads only its own query and shaping (a CLI start pays per
// module).
import type { Db } from '../db/open.ts';
import type { Dimension, Period, UsageFilter } from '../db/queries/usage-by-period.ts';
import type { Order } from '../report/period-report.ts';
import type { Kind } from './report-args.ts';

export const PERIOD: Partial<Record<Kind, Period>> = { daily: 'day', weekly: 'week', monthly: 'month' };

export interface ReportOptions {
  tokenLimit: number | 'max';
  /** The blocks table shows each block's share of the limit (asked for with --token-limit). */
  showLimit?: boolean | undefined;
  now: number;
  order?: Order | undefined;
  last?: number | undefined;
  by?: Dimension | undefined;
}

/** The report of a kind; each kind loads only its own query and shaping (a CLI start pays per module). */
export async function buildReport(db: Db, kind: Kind, filter: UsageFilter, options: ReportOptions) {
  const period = PERIOD[kind];
  if (period) {
    const [{ usageByPeriod }, { reportTotals }, { periodReport, totalsOf }] = await Promise.all([
      import('../db/queries/usage-by-period.ts'),
      import('../db/queries/report-totals.ts'),
      import('../report/period-report.ts'),
    ]);
    const rows = usageByPeriod(db, period, filter, options.by);
    const totals = totalsOf(reportTotals(db, filter));
    return { kind: 'period' as const, report: periodReport(period, rows, totals, options.order, options.by) };
  }
  if (kind === 'session') {
    const [
      { usageBySession },
      { reportTotals },
      { sessionReportedCosts },
      { totalsOf },
      sessions,
      names,
      display,
    ] = await Promise.all([
      import('../db/queries/usage-by-session.ts'),
      import('../db/queries/report-totals.ts'),
      import('../db/queries/session-reported-costs.ts'),
      import('../report/period-report.ts'),
      import('../report/session-report.ts'),
      import('../db/queries/project-names.ts'),
      import('../report/project-display-names.ts'),
    ]);
    const { rows, sessionIds } = sessions.lastSessions(usageBySession(db, filter), options.last);
    const totals = totalsOf(reportTotals(db, filter, sessionIds));
    return {
      kind: 'session' as const,
      report: sessions.sessionReport(
        rows,
        totals,
        sessionReportedCosts(db),
        options.order,
        display.projectDisplayNames(names.projectNames(db)),
      ),
    };
  }
  const { blocksWithLimit } = await import('../report/blocks-report.ts');
  const { blocks, limit } = blocksWithLimit(db, filter, options);
  return {
    kind: 'blocks' as const,
    blocks,
    limit: options.showLimit ? { tokens: limit, max: options.tokenLimit === 'max' } : undefined,
  };
}

export type Report = Awaited<ReturnType<typeof buildReport>>;
