// Token and cost sums between two local days, grouped by day, hour, model, project, session, machine or user,
// optionally of one machine, user or project: the rows of GET /api/v1/usage. Days in the stored timezone are
// summed from the smallest rollup that keeps the key (migration 009): by day, machine or user from usage_by_day
// (a row per day, machine and user: ~3,700 for a hub's 10 machines over a year, whatever its millions of
// messages), by model from usage_by_machine (the same and the model), by project, or one project's days, from
// usage_by_project (migration 012: a row per project and day, and per project and month for the months wholly
// inside the range), by session, or of one project otherwise, from usage_daily (a row per session a day). Hours
// and other timezones sum the messages, bucketing each row in the timezone asked for (exact, slower).
import type { Db } from '../open.ts';
import { costExpr, dayBucket, type CostMode } from '../day-bucket.ts';
import { displayName, storedNames, type LocalNames } from '../machine-names.ts';
import { rollupSumColumns, sumColumns, type Sums } from '../sum-columns.ts';
import { makeLocalTime } from '../../time/local-time.ts';
import { fullMonths } from '../../time/full-months.ts';

export type UsageGroupBy = 'day' | 'hour' | 'model' | 'project' | 'session' | 'machine' | 'user';

export interface UsageGroupRow extends Sums {
  key: string;
}

export interface UsageGroupedOptions {
  from: string;
  to: string;
  groupBy: UsageGroupBy;
  timezone: string;
  costMode: CostMode;
  machine?: string | undefined;
  user?: string | undefined;
  /** Only this project (its key); read from usage_daily, the one rollup that keeps projects. */
  project?: string | undefined;
  /** This machine's own names, which its rows ('') are shown under and found by. */
  local?: LocalNames;
}

/** The rollup each grouping of stored days reads: the smallest that keeps its key. */
const ROLLUP_OF: Partial<Record<UsageGroupBy, string>> = {
  day: 'usage_by_day',
  machine: 'usage_by_day',
  user: 'usage_by_day',
  model: 'usage_by_machine',
  project: 'usage_by_project',
  session: 'usage_daily',
};

/** The rollup for stored days: by project, or one project's days, from usage_by_project unless a machine or
 *  user is asked for too (usage_daily keeps those); one project by anything else from usage_daily. */
function rollupOf(o: UsageGroupedOptions): string | undefined {
  const smallest = ROLLUP_OF[o.groupBy];
  if (o.project === undefined && o.groupBy !== 'project') return smallest;
  const filtered = o.machine !== undefined || o.user !== undefined;
  if (!filtered && (o.groupBy === 'project' || o.groupBy === 'day')) return 'usage_by_project';
  return smallest && 'usage_daily';
}

/** usage_by_project's sums by project. */
const PROJECT_SUMS = `project, messages, input_tokens, output_tokens, cache_write_5m_tokens, cache_write_1h_tokens,
  cache_read_tokens, total_tokens, cost_auto_usd, cost_calc_usd, cost_display_usd, unpriced_auto, unpriced_calc,
  web_search_requests`;

/** usage_by_project's days, under the column names the other rollups have. */
const PROJECT_DAYS = `(SELECT period AS day, ${PROJECT_SUMS} FROM usage_by_project WHERE grain = 'day')`;

function hourExpr(db: Db, day: string, timezone: string): string {
  if (day === 'day') return `day || 'T' || printf('%02d', hour)`;
  const localTime = makeLocalTime(timezone);
  db.function('ctm_local_hour', { deterministic: true }, (ts: unknown) => {
    const t = localTime(Number(ts));
    return `${t.day}T${String(t.hour).padStart(2, '0')}`;
  });
  return 'ctm_local_hour(ts)';
}

export function usageGrouped(db: Db, o: UsageGroupedOptions): UsageGroupRow[] {
  const local = o.local ?? { machine: '', user: '' };
  const day = dayBucket(db, o.timezone);
  const key = {
    day,
    hour: o.groupBy === 'hour' ? hourExpr(db, day, o.timezone) : '',
    model: 'model',
    project: 'project',
    session: 'session_id',
    machine: displayName('machine', '@localMachine'),
    user: displayName('user_name', '@localUser'),
  }[o.groupBy];
  const rollup = day === 'day' ? rollupOf(o) : undefined;
  const clauses = [`${day} >= @from`, `${day} <= @to`];
  const params: Record<string, string> = {
    from: o.from,
    to: o.to,
    localMachine: local.machine,
    localUser: local.user,
  };
  if (o.project !== undefined) {
    clauses.push('project = @project');
    params.project = o.project;
  }
  if (o.machine !== undefined) {
    clauses.push('machine IN (SELECT value FROM json_each(@machines))');
    params.machines = JSON.stringify(storedNames(o.machine, local.machine));
  }
  if (o.user !== undefined) {
    clauses.push('user_name IN (SELECT value FROM json_each(@users))');
    params.users = JSON.stringify(storedNames(o.user, local.user));
  }
  let from = `${rollup === 'usage_by_project' ? PROJECT_DAYS : (rollup ?? 'usage')} WHERE ${clauses.join(' AND ')}`;
  // By project, the months wholly inside the range are read by month, the days at its ends by day.
  const months =
    rollup === 'usage_by_project' && o.groupBy === 'project' ? fullMonths(o.from, o.to) : undefined;
  if (months) {
    [params.firstMonth, params.lastMonth] = months;
    from = `(SELECT ${PROJECT_SUMS} FROM ${from}
        AND (day < (@firstMonth || '-01') OR day > (@lastMonth || '-31'))
      UNION ALL SELECT ${PROJECT_SUMS} FROM usage_by_project
        WHERE grain = 'month' AND period >= @firstMonth AND period <= @lastMonth${o.project !== undefined ? ' AND project = @project' : ''})`;
  }
  return db
    .prepare(
      `SELECT ${key} AS key, ${rollup ? rollupSumColumns(o.costMode) : sumColumns(costExpr(o.costMode))}
       FROM ${from}
       GROUP BY 1 ORDER BY ${o.groupBy === 'day' || o.groupBy === 'hour' ? '1' : 'totalTokens DESC, 1'}`,
    )
    .all(params) as UsageGroupRow[];
}
