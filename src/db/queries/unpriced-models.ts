// Every model in the index that has messages without a calculated price (cost_calc_usd IS NULL: no entry in
// the price table when they were last priced), with those messages' count, tokens and first and last use, the
// models with the most tokens first. What `ctm prices` lists after the table in effect.
import type { Db } from '../open.ts';
import type { TokenSums } from '../sum-columns.ts';

export interface UnpricedModelRow extends TokenSums {
  model: string;
  messages: number;
  /** Epoch ms of the first and the last of those messages. */
  firstTs: number;
  lastTs: number;
}

export function unpricedModels(db: Db): UnpricedModelRow[] {
  return db
    .prepare(
      `SELECT model, count(*) AS messages, sum(input_tokens) AS inputTokens, sum(output_tokens) AS outputTokens,
              sum(cache_write_5m_tokens) AS cacheWrite5mTokens, sum(cache_write_1h_tokens) AS cacheWrite1hTokens,
              sum(cache_read_tokens) AS cacheReadTokens, sum(total_tokens) AS totalTokens,
              min(ts) AS firstTs, max(ts) AS lastTs
       FROM usage
       WHERE cost_calc_usd IS NULL
       GROUP BY model
       ORDER BY totalTokens DESC, model`,
    )
    .all() as UnpricedModelRow[];
}
