// The filter every report-site query takes: the timezone and cost mode from config plus an optional day range,
// project or session. Builds the WHERE clause against the local-day expression so every page agrees, and names
// the table to read: the messages, or in a build the summary of them (usage-summary.ts).
import type { Db } from '../open.ts';
import { dayBucketCached } from './prepare-cached.ts';
import { costExpr, type CostMode } from '../day-bucket.ts';
import { ROLLUP_COST, rollupSumColumns, roundedCost, sumColumns, UNPRICED_SUM } from '../sum-columns.ts';
import { ensureUsageSummary, SUMMARY_TABLE } from './usage-summary.ts';

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
  /** Read the build's summary table (usage-summary.ts) where a query allows it; for build processes only. */
  summary?: boolean | undefined;
}

export interface SiteSql {
  day: string;
  cost: string;
  where: string;
  params: Record<string, string>;
  /** The table read: the messages (`usage`) or the build's summary of them. */
  from: string;
  /** The token and cost sums over `from` (sumColumns or rollupSumColumns). */
  sums: string;
  /** Cost and unpriced-message sums alone, for queries that select no token kinds. */
  costSum: string;
  unpricedSum: string;
  firstTs: string;
  lastTs: string;
  /** A project's label: a working directory from its messages. */
  label: string;
}

/** siteSql for queries that cannot read the summary (per session, per subagent, per message). */
export function messagesSql(db: Db, f: SiteFilter): SiteSql {
  return siteSql(db, { ...f, summary: false });
}

export function siteSql(db: Db, f: SiteFilter): SiteSql {
  // The summary has no machine or user: a filter on either reads the messages.
  const summary = f.summary === true && !f.sessionId && !f.machines && !f.users;
  if (summary) ensureUsageSummary(db, f.timezone);
  const day = summary ? 'day' : dayBucketCached(db, f.timezone);
  const clauses: string[] = [];
  const params: Record<string, string> = {};
  if (f.fromDay) {
    clauses.push(`${day} >= @fromDay`);
    params.fromDay = f.fromDay;
  }
  if (f.toDay) {
    clauses.push(`${day} <= @toDay`);
    params.toDay = f.toDay;
  }
  if (f.project) {
    clauses.push('project = @project');
    params.project = f.project;
  }
  if (f.sessionId) {
    clauses.push('session_id = @sessionId');
    params.sessionId = f.sessionId;
  }
  if (f.machines) {
    clauses.push('machine IN (SELECT value FROM json_each(@machines))');
    params.machines = JSON.stringify(f.machines);
  }
  if (f.users) {
    clauses.push('user_name IN (SELECT value FROM json_each(@users))');
    params.users = JSON.stringify(f.users);
  }
  const cost = costExpr(f.costMode);
  const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
  if (summary) {
    return {
      day,
      cost,
      where,
      params,
      from: SUMMARY_TABLE,
      sums: rollupSumColumns(f.costMode),
      costSum: roundedCost(`total(${ROLLUP_COST[f.costMode]})`),
      unpricedSum: UNPRICED_SUM[f.costMode],
      firstTs: 'min(first_ts)',
      lastTs: 'max(last_ts)',
      label: 'label',
    };
  }
  return {
    day,
    cost,
    where,
    params,
    from: 'usage',
    sums: sumColumns(cost),
    costSum: roundedCost(`coalesce(sum(${cost}), 0)`),
    unpricedSum: `sum(${cost} IS NULL)`,
    firstTs: 'min(ts)',
    lastTs: 'max(ts)',
    label: 'coalesce(cwd, project)',
  };
}

export { sumColumns, type Sums } from '../sum-columns.ts';
