// The cost of one indexed request (a response, or an advisor's part of one) in USD under a price table, or
// null when the table has no price for its model. The one entry point the ingest and the repricing use.
// Token rates: the model's price at the request's UTC time, its tier, then fast mode × US-only inference ×
// a regional endpoint (a Bedrock us./eu./… profile or in-Region id, for the models the table marks) ×
// off-peak. Web searches are added at the table's per-search fee, which no multiplier touches.
import type { PriceTable } from './pricing-schema.ts';
import { matchModel, priceAt } from './match-model.ts';
import { peakMultiplier, ratesFor, tokenCostUsd, type TokenCounts } from './cost.ts';
import { isRegionalEndpoint } from './regional-endpoint.ts';

export interface PricedRequest extends TokenCounts {
  model: string;
  /** Epoch ms (UTC): a dated price applies by the request's time. */
  ts: number;
  /** usage.speed ("fast" multiplies the token rates). */
  speed: string | null;
  /** usage.inference_geo ("us" multiplies the token rates by 1.1). */
  geo: string | null;
  webSearchRequests: number;
}

export function requestCost(table: PriceTable, r: PricedRequest): number | null {
  const model = matchModel(table, r.model);
  if (!model) return null;
  const price = priceAt(model, r.ts);
  const fast = r.speed === 'fast' ? (price.fastMultiplier ?? 1) : 1;
  const geos = price.geoMultipliers ?? table.geoMultipliers;
  const geo = r.geo !== null && Object.hasOwn(geos, r.geo) ? geos[r.geo]! : 1;
  const regional =
    model.regionalMultiplier !== undefined && isRegionalEndpoint(r.model) ? model.regionalMultiplier : 1;
  const tokens =
    tokenCostUsd(r, ratesFor(price, r)) * fast * geo * regional * peakMultiplier(price.peakHours, r.ts);
  const perSearch = (price.webSearchPerThousand ?? table.webSearchPerThousand) / 1000;
  return tokens + (r.webSearchRequests || 0) * perSearch;
}
