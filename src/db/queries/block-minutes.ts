// Cumulative tokens and cost per minute inside a time range (a 5-hour block): the columns of the live chart,
// at most 300 points however busy the block was. The running sum is a window function, not a client loop.
import type { Db } from '../open.ts';
import { costExpr, type CostMode } from '../day-bucket.ts';

export interface BlockMinuteRow {
  minute: number;
  cumulativeTokens: number;
  cumulativeCost: number;
}

export function blockMinutes(db: Db, fromTs: number, toTs: number, costMode: CostMode): BlockMinuteRow[] {
  return db
    .prepare(
      `SELECT minute, sum(tokens) OVER (ORDER BY minute) AS cumulativeTokens,
              sum(cost) OVER (ORDER BY minute) AS cumulativeCost
       FROM (SELECT (ts / 60000) * 60000 AS minute, sum(total_tokens) AS tokens,
                    coalesce(sum(${costExpr(costMode)}), 0) AS cost
             FROM usage WHERE ts >= ? AND ts < ? GROUP BY minute)
       ORDER BY minute`,
    )
    .all(fromTs, toTs) as BlockMinuteRow[];
}
