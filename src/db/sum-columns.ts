// The token and cost sums every aggregate query selects, so all reports add up the same columns the same way.
// Cost sums skip unpriced rows and count them (unpricedMessages): a missing price is visible, never a silent $0.

/** SQL select list; `cost` is the cost expression of a cost mode (costExpr). */
export function sumColumns(cost: string): string {
  return `sum(input_tokens) AS inputTokens, sum(output_tokens) AS outputTokens,
          sum(cache_write_5m_tokens) AS cacheWrite5mTokens, sum(cache_write_1h_tokens) AS cacheWrite1hTokens,
          sum(cache_read_tokens) AS cacheReadTokens, sum(total_tokens) AS totalTokens,
          coalesce(sum(${cost}), 0) AS cost, count(*) AS messages, sum(${cost} IS NULL) AS unpricedMessages`;
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
