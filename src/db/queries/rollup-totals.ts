// The all-time sums of the usage_daily rollup and of the counted messages, side by side: the cheap check at
// the start of an ingest that the rollup still adds up (src/db/check-index.ts). The messages side reads the
// counted rows through the ts index (the day index covered these columns until migration 013: about 19 ms
// for 57,737 messages now, a plain scan 17 ms); web searches are left to `ctm check`.
import type { Db } from '../open.ts';
import type { TokenSums } from '../sum-columns.ts';
import { prepareCached } from './prepare-cached.ts';

export interface RollupTotals extends TokenSums {
  messages: number;
  costAuto: number;
  costCalc: number;
  costDisplay: number;
  unpricedAuto: number;
  unpricedCalc: number;
}

// The token columns, summed alike over both tables (zero, not NULL, for an empty index).
const TOKEN_SUMS = `coalesce(sum(input_tokens), 0) AS inputTokens, coalesce(sum(output_tokens), 0) AS outputTokens,
    coalesce(sum(cache_write_5m_tokens), 0) AS cacheWrite5mTokens,
    coalesce(sum(cache_write_1h_tokens), 0) AS cacheWrite1hTokens,
    coalesce(sum(cache_read_tokens), 0) AS cacheReadTokens, coalesce(sum(total_tokens), 0) AS totalTokens`;

const STORED = `SELECT coalesce(sum(messages), 0) AS messages, ${TOKEN_SUMS}, total(cost_auto_usd) AS costAuto,
    total(cost_calc_usd) AS costCalc, total(cost_display_usd) AS costDisplay,
    coalesce(sum(unpriced_auto), 0) AS unpricedAuto, coalesce(sum(unpriced_calc), 0) AS unpricedCalc
  FROM usage_daily`;

const FRESH = `SELECT count(*) AS messages, ${TOKEN_SUMS}, total(coalesce(cost_logged_usd, cost_calc_usd)) AS costAuto,
    total(cost_calc_usd) AS costCalc, total(cost_logged_usd) AS costDisplay,
    coalesce(sum(coalesce(cost_logged_usd, cost_calc_usd) IS NULL), 0) AS unpricedAuto,
    coalesce(sum(cost_calc_usd IS NULL), 0) AS unpricedCalc
  FROM messages WHERE superseded = 0`;

export function rollupTotals(db: Db): { stored: RollupTotals; fresh: RollupTotals } {
  return {
    stored: prepareCached(db, STORED).get() as RollupTotals,
    fresh: prepareCached(db, FRESH).get() as RollupTotals,
  };
}
