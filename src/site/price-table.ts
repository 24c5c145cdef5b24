// The price table as the report pages show it: the shipped table (imported, so it survives bundling into the
// Astro build) with CTM_PRICING_FILE's models laid over it, like the ingest's loadPricing. Display only: the
// costs on the pages come from the index, computed at ingest.
import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import shipped from '../pricing/anthropic.json' with { type: 'json' };
import { ConfigError } from '../config.ts';
import { pricingFileSchema, type PriceTable } from '../pricing/pricing-schema.ts';

export function priceTable(overridePath: string | undefined): PriceTable {
  const base = v.parse(pricingFileSchema, shipped);
  const models = new Map(Object.entries(base.models));
  let threshold = base.longContextThreshold ?? 200_000;
  if (overridePath) {
    let override;
    try {
      override = v.parse(pricingFileSchema, JSON.parse(readFileSync(overridePath, 'utf8')));
    } catch (error) {
      throw new ConfigError('CTM_PRICING_FILE', `cannot use ${overridePath} (${(error as Error).message})`);
    }
    for (const [id, price] of Object.entries(override.models)) models.set(id, price);
    threshold = override.longContextThreshold ?? threshold;
  }
  return { longContextThreshold: threshold, models };
}
