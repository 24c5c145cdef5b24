// Sums per day, week (starting on `weekStartsOn`, Monday by default) or month for the listings (/days/, /weeks/,
// /months/), newest first.
import type { Db } from '../open.ts';
import type { WeekDay } from '../../config.ts';
import { prepareCached } from './prepare-cached.ts';
import { periodExpr } from './usage-by-period.ts';
import { siteSql, type SiteFilter, type Sums } from './site-filter.ts';

export interface PeriodTotalsRow extends Sums {
  period: string;
  sessions: number;
  activeDays: number;
}

export function periodTotals(
  db: Db,
  period: 'day' | 'week' | 'month',
  f: SiteFilter,
  weekStartsOn: WeekDay = 1,
): PeriodTotalsRow[] {
  const q = siteSql(db, f);
  return prepareCached(
    db,
    `SELECT ${periodExpr(period, q.day, weekStartsOn)} AS period, ${q.sums},
              count(DISTINCT session_id) AS sessions, count(DISTINCT ${q.day}) AS activeDays
       FROM ${q.from} ${q.where}
       GROUP BY 1
       ORDER BY 1 DESC`,
  ).all(q.params) as PeriodTotalsRow[];
}
