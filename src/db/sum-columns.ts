// The token and cost sums every aggregate query selects, so all reports add up the same columns the same way.
// usage_daily (migration 003) holds the same sums per day, model and project for the reports that need no finer grain.
// Cost sums skip unpriced rows and count them (unpricedMessages): a missing price is visible, never a silent $0.
// They are rounded to COST_DECIMALS: a sum of rows and a sum of partial sums (the rollups) then give the same
// number, not two that differ in the 16th digit.
import type { CostMode } from './day-bucket.ts';

/** Prices are fractions of a dollar per million tokens: a calculated message cost has at most 8 decimals, so
 * a sum rounded to 9 is the exact sum, without the binary floating-point noise of adding in another order (a
 * logged cost with more decimals moves by under a billionth of a dollar). */
export const COST_DECIMALS = 9;

/** A cost sum (its SQL aggregate), rounded. */
export function roundedCost(sum: string): string {
  return `round(${sum}, ${COST_DECIMALS})`;
}

/** SQL select list; `cost` is the cost expression of a cost mode (costExpr). */
export function sumColumns(cost: string): string {
  return `sum(input_tokens) AS inputTokens, sum(output_tokens) AS outputTokens,
          sum(cache_write_5m_tokens) AS cacheWrite5mTokens, sum(cache_write_1h_tokens) AS cacheWrite1hTokens,
          sum(cache_read_tokens) AS cacheReadTokens, sum(total_tokens) AS totalTokens,
          ${roundedCost(`coalesce(sum(${cost}), 0)`)} AS cost, count(*) AS messages, sum(${cost} IS NULL) AS unpricedMessages,
          coalesce(sum(web_search_requests), 0) AS webSearchRequests`;
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

/** The same select list over usage_daily, where each group's sums are already stored per cost mode. */
export function rollupSumColumns(mode: CostMode): string {
  const cost = ROLLUP_COST[mode];
  const unpriced = UNPRICED_SUM[mode];
  return `sum(input_tokens) AS inputTokens, sum(output_tokens) AS outputTokens,
          sum(cache_write_5m_tokens) AS cacheWrite5mTokens, sum(cache_write_1h_tokens) AS cacheWrite1hTokens,
          sum(cache_read_tokens) AS cacheReadTokens, sum(total_tokens) AS totalTokens,
          ${roundedCost(`total(${cost})`)} AS cost, sum(messages) AS messages, ${unpriced} AS unpricedMessages,
          coalesce(sum(web_search_requests), 0) AS webSearchRequests`;
}

/** The token counts by kind and their total. */
export interface TokenSums {
  inputTokens: number;
  outputTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
}

export interface Sums extends TokenSums {
  cost: number;
  messages: number;
  unpricedMessages: number;
  /** Web searches (server_tool_use.web_search_requests), priced at the table's per-search fee. */
  webSearchRequests: number;
}

/** The sums of nothing: what an empty range totals. */
export const ZERO_SUMS: Readonly<Sums> = {
  inputTokens: 0,
  outputTokens: 0,
  cacheWrite5mTokens: 0,
  cacheWrite1hTokens: 0,
  cacheReadTokens: 0,
  totalTokens: 0,
  cost: 0,
  messages: 0,
  unpricedMessages: 0,
  webSearchRequests: 0,
};

const SUM_KEYS = Object.keys(ZERO_SUMS) as (keyof Sums)[];

/** Adds the sums of `row` into `into` (every Sums field; other fields are left alone). */
export function addSums<T extends Sums>(into: T, row: Sums): T {
  for (const k of SUM_KEYS) into[k] += row[k];
  return into;
}

/** The sums of some rows. */
export function sumRows(rows: readonly Sums[]): Sums {
  return rows.reduce<Sums>((t, r) => addSums(t, r), { ...ZERO_SUMS });
}
