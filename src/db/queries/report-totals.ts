// The totals row of the daily, weekly, monthly and session reports: one query, the same for every report over
// the same filter, so their totals are the very same number (summing each report's own rows adds the costs in
// another grouping and order, which moves the last digits). It reads usage_daily whenever the filter allows it
// (days in the stored timezone, or no day range), else the messages; `sessionIds` narrows it to given sessions.
import type { Db } from '../open.ts';
import { rollupSumColumns, sumColumns, type Sums } from '../sum-columns.ts';
import { hasRollup, usageSql, type UsageFilter } from './usage-by-period.ts';

export type ReportTotalsRow = Sums;

export function reportTotals(db: Db, filter: UsageFilter, sessionIds?: readonly string[]): ReportTotalsRow {
  const q = usageSql(db, filter);
  const rollup =
    sessionIds === undefined && hasRollup(db) && (q.day === 'day' || (!filter.since && !filter.until));
  const from = rollup ? 'usage_daily' : 'usage';
  const clauses = q.where ? [q.where.slice('WHERE '.length)] : [];
  const params: Record<string, string> = { ...q.params };
  if (sessionIds !== undefined) {
    clauses.push('session_id IN (SELECT value FROM json_each(@sessionIds))');
    params.sessionIds = JSON.stringify(sessionIds);
  }
  const row = db
    .prepare(
      `SELECT ${rollup ? rollupSumColumns(filter.costMode) : sumColumns(q.cost)}
       FROM ${from} ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''}`,
    )
    .get(params) as ReportTotalsRow;
  // No rows: SQL sums are NULL, the totals of nothing are zeros.
  for (const k of Object.keys(row) as (keyof ReportTotalsRow)[]) row[k] ??= 0;
  return row;
}
