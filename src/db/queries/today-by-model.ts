// Token and cost sums per model for one stored local day: the "today so far" figures of the live API.
// Uses the (day, model) index, so it stays a few milliseconds however long the history is.
import type { Db } from '../open.ts';
import { costExpr, type CostMode } from '../day-bucket.ts';

export interface DayModelRow {
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  cost: number;
  messages: number;
  unpricedMessages: number;
}

export function todayByModel(db: Db, day: string, costMode: CostMode): DayModelRow[] {
  const cost = costExpr(costMode);
  return db
    .prepare(
      `SELECT model, sum(input_tokens) AS inputTokens, sum(output_tokens) AS outputTokens,
              sum(cache_write_5m_tokens) AS cacheWrite5mTokens, sum(cache_write_1h_tokens) AS cacheWrite1hTokens,
              sum(cache_read_tokens) AS cacheReadTokens, sum(total_tokens) AS totalTokens,
              round(coalesce(sum(${cost}), 0), 6) AS cost, count(*) AS messages, sum(${cost} IS NULL) AS unpricedMessages
       FROM usage WHERE day = ? GROUP BY model ORDER BY totalTokens DESC, model`,
    )
    .all(day) as DayModelRow[];
}
