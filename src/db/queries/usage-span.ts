// How much the index holds, for the one line that ends a first run: requests counted and their first and last
// local day, from the daily rollup (a few thousand rows for a year, never the messages).
import type { Db } from '../open.ts';

export interface UsageSpan {
  requests: number;
  firstDay: string | null;
  lastDay: string | null;
}

export function usageSpan(db: Db): UsageSpan {
  return db
    .prepare(
      `SELECT coalesce(sum(messages), 0) AS requests, min(day) AS firstDay, max(day) AS lastDay FROM usage_daily`,
    )
    .get() as UsageSpan;
}
