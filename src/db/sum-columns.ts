// The token and cost sums every aggregate query selects, so all reports add up the same columns the same way.
// usage_daily (migration 003) holds the same sums per day, model and project for the reports that need no finer grain.
// Cost sums skip unpriced rows and count them (unpricedMessages): a missing price is visible, never a silent $0.
import type { CostMode } from './day-bucket.ts';

/** SQL select list; `cost` is the cost expression of a cost mode (costExpr). */
export function sumColumns(cost: string): string {
  return `sum(input_tokens) AS inputTokens, sum(output_tokens) AS outputTokens,
          sum(cache_write_5m_tokens) AS cacheWrite5mTokens, sum(cache_write_1h_tokens) AS cacheWrite1hTokens,
          sum(cache_read_tokens) AS cacheReadTokens, sum(total_tokens) AS totalTokens,
          coalesce(sum(${cost}), 0) AS cost, count(*) AS messages, sum(${cost} IS NULL) AS unpricedMessages`;
}

/** usage_daily's cost column for a cost mode (each mode's sum is stored: coalesce() does not distribute). */
export const ROLLUP_COST: Record<CostMode, string> = {
  auto: 'cost_auto_usd',
  calculate: 'cost_calc_usd',
  display: 'cost_display_usd',
};

/** The rollups' sum of unpriced messages for a cost mode (display mode prices every message: logged or 0). */
export const UNPRICED_SUM: Record<CostMode, string> = {
  auto: 'sum(unpriced_auto)',
  calculate: 'sum(unpriced_calc)',
  display: '0',
};

/** The same select list over usage_daily (or a build's summary), where each group's sums are already stored per
 * cost mode. */
export function rollupSumColumns(mode: CostMode): string {
  const cost = ROLLUP_COST[mode];
  const unpriced = UNPRICED_SUM[mode];
  return `sum(input_tokens) AS inputTokens, sum(output_tokens) AS outputTokens,
          sum(cache_write_5m_tokens) AS cacheWrite5mTokens, sum(cache_write_1h_tokens) AS cacheWrite1hTokens,
          sum(cache_read_tokens) AS cacheReadTokens, sum(total_tokens) AS totalTokens,
          total(${cost}) AS cost, sum(messages) AS messages, ${unpriced} AS unpricedMessages`;
}

export interface Sums {
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
