// The shape of a pricing file (the shipped table and CTM_PRICING_FILE): USD per million tokens per model.
import * as v from 'valibot';

const rate = v.pipe(v.number(), v.minValue(0));

export const ratesSchema = v.object({
  input: rate,
  output: rate,
  cacheWrite5m: rate,
  cacheWrite1h: rate,
  cacheRead: rate,
});
export type Rates = v.InferOutput<typeof ratesSchema>;

export const modelPriceSchema = v.object({
  ...ratesSchema.entries,
  above200k: v.optional(ratesSchema),
  fastMultiplier: v.optional(v.pipe(v.number(), v.minValue(0))),
});
export type ModelPrice = v.InferOutput<typeof modelPriceSchema>;

export const pricingFileSchema = v.object({
  unit: v.optional(v.string()),
  longContextThreshold: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  models: v.record(v.string(), modelPriceSchema),
});
export type PricingFile = v.InferOutput<typeof pricingFileSchema>;

export interface PriceTable {
  longContextThreshold: number;
  models: Map<string, ModelPrice>;
}
