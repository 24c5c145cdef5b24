// Token and cost sums per period (day, ISO-style week, month) and model, the rows behind the daily, weekly and
// monthly reports. Aggregation happens here in SQL, over usage_daily when the days asked for are the stored
// ones; callers only reshape. Cost sums ignore unpriced rows and count them separately (unpricedMessages) so a
// missing price is visible, never a silent $0.
import type { Db } from '../open.ts';
import type { CostMode } from '../day-bucket.ts';
import { rollupSumColumns, sumColumns, type Sums } from '../sum-columns.ts';
import { displayName, type LocalNames } from '../machine-names.ts';
import { messagesSql, type SiteSql } from './site-filter.ts';

export type Period = 'day' | 'week' | 'month';

export interface UsageFilter {
  timezone: string;
  costMode: CostMode;
  since?: string | undefined;
  until?: string | undefined;
  project?: string | undefined;
  /** Stored machine and user values to keep (machine-names.ts: this machine's own rows are ''). */
  machines?: readonly string[] | undefined;
  users?: readonly string[] | undefined;
  /** This machine's own names, which its rows are shown under in a report by machine or user. */
  local?: LocalNames | undefined;
  /** 0 = Sunday (ccusage's default), 1 = Monday, … 6 = Saturday. */
  weekStartsOn?: WeekDay;
}

/** A report's second grouping beside the period (`--by`). */
export type Dimension = 'machine' | 'user';

export type WeekDay = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface PeriodModelRow extends Sums {
  period: string;
  /** The machine or user of the row, in a report by either. */
  dimension?: string;
  model: string;
  webSearchRequests: number;
}

export function periodExpr(period: Period, day: string, weekStartsOn: WeekDay = 0): string {
  if (period === 'day') return day;
  if (period === 'month') return `substr(${day}, 1, 7)`;
  return `date(${day}, '-' || ((cast(strftime('%w', ${day}) AS integer) + 7 - ${weekStartsOn}) % 7) || ' days')`;
}

/** The WHERE clause of a CLI report filter (since/until are local days). */
export function usageSql(db: Db, filter: UsageFilter): SiteSql {
  return messagesSql(db, {
    timezone: filter.timezone,
    costMode: filter.costMode,
    fromDay: filter.since,
    toDay: filter.until,
    project: filter.project,
    machines: filter.machines,
    users: filter.users,
  });
}

/** The index's migration level: a read-only reader may open an index an older ctm wrote and never migrate it. */
export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** True when the index has usage_daily (migration 003). */
export function hasRollup(db: Db): boolean {
  return schemaVersion(db) >= 3;
}

export function usageByPeriod(db: Db, period: Period, filter: UsageFilter, by?: Dimension): PeriodModelRow[] {
  const q = usageSql(db, filter);
  const local = filter.local ?? { machine: '', user: '' };
  const dimension =
    by === undefined
      ? ''
      : `${displayName(by === 'machine' ? 'machine' : 'user_name', by === 'machine' ? '@localMachine' : '@localUser')} AS dimension, `;
  const params =
    by === undefined ? q.params : { ...q.params, localMachine: local.machine, localUser: local.user };
  // Days in the stored timezone come from a rollup: usage_by_machine (migration 009: a row per day, machine,
  // user and model) unless a project is asked for, else usage_daily (a row per session a day); another
  // timezone needs each message's timestamp, so it sums the messages themselves.
  const rollup = filter.project === undefined && schemaVersion(db) >= 9 ? 'usage_by_machine' : 'usage_daily';
  const [columns, from] =
    q.day === 'day' && hasRollup(db)
      ? [rollupSumColumns(filter.costMode), rollup]
      : [sumColumns(q.cost), 'usage'];
  return db
    .prepare(
      `SELECT ${periodExpr(period, q.day, filter.weekStartsOn)} AS period, ${dimension}model, ${columns}
       FROM ${from} ${q.where}
       GROUP BY period, ${by === undefined ? '' : 'dimension, '}model
       ORDER BY period, ${by === undefined ? '' : 'dimension, '}model`,
    )
    .all(params) as PeriodModelRow[];
}
