// The price table as the report pages show it: the shipped table (imported, so it survives bundling into the
// Astro build) with CTM_PRICING_FILE laid over it, built by the ingest's own buildPriceTable. Display only: the
// costs on the pages come from the index, computed at ingest.
import shipped from '../pricing/anthropic.json' with { type: 'json' };
import type { PriceTable } from '../pricing/pricing-schema.ts';
import { buildPriceTable, type PricingSource } from '../pricing/build-price-table.ts';
import { parsePricingJson, parsePricingText, readOverride } from '../pricing/load-pricing.ts';

export function priceTable(overridePath: string | undefined): PriceTable {
  const setting = 'pricing/anthropic.json';
  const sources: PricingSource[] = [
    { file: parsePricingJson(shipped, setting, setting), name: setting, setting },
  ];
  if (overridePath)
    sources.push({
      file: parsePricingText(readOverride(overridePath), overridePath, 'CTM_PRICING_FILE'),
      name: overridePath,
      setting: 'CTM_PRICING_FILE',
    });
  return buildPriceTable(sources);
}
