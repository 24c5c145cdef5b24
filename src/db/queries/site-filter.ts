// The filter every report-site query takes: the timezone and cost mode from config plus an optional day range,
// project, session, machines or users. Builds the WHERE clause against the local-day expression so every page
// agrees, and names the table to read: usage_daily, the one store of sums the ingest keeps, whenever its days
// are the ones asked for (the stored timezone); otherwise the messages, each bucketed in the timezone asked for.
import type { Db } from '../open.ts';
import { dayBucketCached } from './prepare-cached.ts';
import { costExpr, type CostMode } from '../day-bucket.ts';
import { ROLLUP_COST, rollupSumColumns, roundedCost, sumColumns, UNPRICED_SUM } from '../sum-columns.ts';

export interface SiteFilter {
  timezone: string;
  costMode: CostMode;
  fromDay?: string | undefined;
  toDay?: string | undefined;
  project?: string | undefined;
  sessionId?: string | undefined;
  /** Stored machine and user values to keep ('' is this machine's own; see machine-names.ts). */
  machines?: readonly string[] | undefined;
  users?: readonly string[] | undefined;
}

export interface SiteSql {
  day: string;
  cost: string;
  where: string;
  params: Record<string, string>;
  /** The table read: usage_daily or the messages (`usage`). */
  from: string;
  /** The token and cost sums over `from` (rollupSumColumns or sumColumns). */
  sums: string;
  /** Cost and unpriced-message sums alone, for queries that select no token kinds. */
  costSum: string;
  unpricedSum: string;
  firstTs: string;
  lastTs: string;
  /** A project's label: its least working directory (its root where Claude Code also ran in a subdirectory). */
  label: string;
}

/** usage_daily with sessions, spans and working directories (migration 008). */
const SESSION_ROLLUP = 8;

/** siteSql for queries that need each message (per hour, per subagent, a session's branch and version). */
export function messagesSql(db: Db, f: SiteFilter): SiteSql {
  return siteSql(db, f, false);
}

export function siteSql(db: Db, f: SiteFilter, rollup = true): SiteSql {
  const day = dayBucketCached(db, f.timezone);
  const clauses: string[] = [];
  const params: Record<string, string> = {};
  const when = (name: string, value: string | undefined, clause: string): void => {
    if (!value) return;
    clauses.push(clause);
    params[name] = value;
  };
  when('fromDay', f.fromDay, `${day} >= @fromDay`);
  when('toDay', f.toDay, `${day} <= @toDay`);
  when('project', f.project, 'project = @project');
  when('sessionId', f.sessionId, 'session_id = @sessionId');
  when(
    'machines',
    f.machines && JSON.stringify(f.machines),
    'machine IN (SELECT value FROM json_each(@machines))',
  );
  when('users', f.users && JSON.stringify(f.users), 'user_name IN (SELECT value FROM json_each(@users))');
  const cost = costExpr(f.costMode);
  const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
  const common = { day, cost, where, params, label: 'coalesce(min(cwd), project)' };
  if (rollup && day === 'day' && (db.pragma('user_version', { simple: true }) as number) >= SESSION_ROLLUP) {
    return {
      ...common,
      from: 'usage_daily',
      sums: rollupSumColumns(f.costMode),
      costSum: roundedCost(`total(${ROLLUP_COST[f.costMode]})`),
      unpricedSum: UNPRICED_SUM[f.costMode],
      firstTs: 'min(first_ts)',
      lastTs: 'max(last_ts)',
    };
  }
  return {
    ...common,
    from: 'usage',
    sums: sumColumns(cost),
    costSum: roundedCost(`coalesce(sum(${cost}), 0)`),
    unpricedSum: `sum(${cost} IS NULL)`,
    firstTs: 'min(ts)',
    lastTs: 'max(ts)',
  };
}

export { sumColumns, type Sums } from '../sum-columns.ts';
