// One row of sums (tokens by kind, cost, messages, sessions) for a filter: the overview's period cards and every
// page's headline figures. An empty range gives zeros, not NULLs.
import type { Db } from '../open.ts';
import { prepareCached } from './prepare-cached.ts';
import { siteSql, type SiteFilter, type Sums } from './site-filter.ts';
import { ZERO_SUMS } from '../sum-columns.ts';

export interface UsageTotals extends Sums {
  sessions: number;
  firstTs: number | null;
  lastTs: number | null;
}

export function usageTotals(db: Db, f: SiteFilter): UsageTotals {
  const q = siteSql(db, f);
  const row = prepareCached(
    db,
    `SELECT ${q.sums}, count(DISTINCT session_id) AS sessions, ${q.firstTs} AS firstTs, ${q.lastTs} AS lastTs
       FROM ${q.from} ${q.where}`,
  ).get(q.params) as UsageTotals;
  // No rows: SQL sums are NULL, the totals of nothing are zeros.
  for (const k of Object.keys(ZERO_SUMS) as (keyof Sums)[]) row[k] ??= 0;
  return row;
}
