// The cost of one indexed request (a response, or an advisor's part of one) in USD under a price table, or
// null when the table has no price for its model. The one entry point the ingest and the repricing use.
import type { PriceTable } from './pricing-schema.ts';
import { matchModel } from './match-model.ts';
import { costUsd } from './cost.ts';

export interface PricedRequest {
  model: string;
  /** Epoch ms (UTC): a dated price applies by the request's time. */
  ts: number;
  /** usage.speed ("fast" multiplies the token rates). */
  speed: string | null;
  /** usage.inference_geo ("us" multiplies the token rates by 1.1). */
  geo: string | null;
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  webSearchRequests: number;
}

export function requestCost(table: PriceTable, r: PricedRequest): number | null {
  const match = matchModel(table, r.model);
  return match ? costUsd(r, match.price, r.speed, table.longContextThreshold) : null;
}
