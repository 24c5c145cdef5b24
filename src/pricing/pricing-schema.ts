// The shape of a pricing file (the shipped table and CTM_PRICING_FILE in ctm's own format) and of the price
// table built from it. Rates are USD per million tokens; a model may carry tiers (the whole request at other
// rates above a total-input threshold), a fast-mode multiplier, peak hours and dated changes.
import * as v from 'valibot';

const rate = v.pipe(v.number(), v.minValue(0));
const multiplier = v.pipe(v.number(), v.minValue(0));
/** A UTC date (YYYY-MM-DD, from its midnight) or a UTC instant (YYYY-MM-DDTHH:MM[:SS]Z). */
const utcDate = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?Z)?$/, 'expected YYYY-MM-DD or YYYY-MM-DDTHH:MMZ (UTC)'),
  v.check((s) => !Number.isNaN(Date.parse(s)), 'not a real date'),
);

export const ratesSchema = v.object({
  input: rate,
  output: rate,
  cacheWrite5m: rate,
  cacheWrite1h: rate,
  cacheRead: rate,
});
export type Rates = v.InferOutput<typeof ratesSchema>;

export const tierSchema = v.object({
  /** The tier applies when input + cache writes + cache reads exceed this many tokens. */
  above: v.pipe(v.number(), v.integer(), v.minValue(1)),
  ...ratesSchema.entries,
});
export type Tier = v.InferOutput<typeof tierSchema>;

/** Listed rates are the peak rates; outside the peak hours every token rate is multiplied by offPeakMultiplier. */
export const peakHoursSchema = v.object({
  /** [from, to) hour ranges in UTC, e.g. [[1, 4], [6, 10]]. */
  utcHours: v.array(
    v.tuple([
      v.pipe(v.number(), v.minValue(0), v.maxValue(24)),
      v.pipe(v.number(), v.minValue(0), v.maxValue(24)),
    ]),
  ),
  /** UTC weekdays the peak applies on, 0 = Sunday; all days when absent. */
  weekdays: v.optional(v.array(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(6)))),
  offPeakMultiplier: multiplier,
});
export type PeakHours = v.InferOutput<typeof peakHoursSchema>;

const extras = {
  tiers: v.optional(v.array(tierSchema)),
  fastMultiplier: v.optional(multiplier),
  /** USD per 1,000 web searches for this model, instead of the table's. */
  webSearchPerThousand: v.optional(rate),
  /** This model's inference_geo multipliers, instead of the table's. */
  geoMultipliers: v.optional(v.record(v.string(), multiplier)),
};

export const priceChangeSchema = v.object({
  from: utcDate,
  source: v.optional(v.string()),
  ...v.partial(ratesSchema).entries,
  ...extras,
  /** null ends the peak-hours scheme from this date. */
  peakHours: v.optional(v.nullable(peakHoursSchema)),
});

export const modelEntrySchema = v.object({
  ...ratesSchema.entries,
  ...extras,
  peakHours: v.optional(peakHoursSchema),
  /** Legacy form of one tier: these rates above the file's longContextThreshold (default 200,000). */
  above200k: v.optional(ratesSchema),
  changes: v.optional(v.array(priceChangeSchema)),
  source: v.optional(v.string()),
  checked: v.optional(utcDate),
  note: v.optional(v.string()),
});
export type ModelEntry = v.InferOutput<typeof modelEntrySchema>;

export const pricingFileSchema = v.object({
  unit: v.optional(v.string()),
  longContextThreshold: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  webSearchPerThousand: v.optional(rate),
  /** Token-rate multipliers by usage.inference_geo value ({"us": 1.1}); other values change nothing. */
  geoMultipliers: v.optional(v.record(v.string(), multiplier)),
  /** Token-rate multipliers, by model, of a request whose model name names a regional endpoint (a Bedrock
   * geographic profile, us.anthropic.…, or an in-Region id, anthropic.…); a later file's models add or replace. */
  regionalEndpoints: v.optional(
    v.object({
      source: v.optional(v.string()),
      models: v.record(v.string(), multiplier),
    }),
  ),
  /** Other names of a model priced the same (claude-mythos-5-1 → claude-fable-5-1). */
  aliases: v.optional(v.record(v.string(), v.string())),
  models: v.record(v.string(), modelEntrySchema),
});
export type PricingFile = v.InferOutput<typeof pricingFileSchema>;

/** The price of a model in one period: rates and everything that modifies them. */
export interface ModelPrice extends Rates {
  tiers: Tier[];
  fastMultiplier?: number;
  webSearchPerThousand?: number;
  geoMultipliers?: Record<string, number>;
  peakHours?: PeakHours;
}

export interface PricePeriod {
  /** Epoch ms (UTC) from which this price applies; -Infinity for the first. */
  from: number;
  price: ModelPrice;
  source?: string;
}

export interface PricedModel {
  /** The id as the table spells it. */
  id: string;
  /** The entry this one is another name of. */
  aliasOf?: string;
  /** Ascending by `from`; the first starts at -Infinity. */
  periods: PricePeriod[];
  source?: string;
  checked?: string;
  note?: string;
  /** On every token rate when the log's name names a regional endpoint (see regional-endpoint.ts). */
  regionalMultiplier?: number;
}

export interface PriceTable {
  webSearchPerThousand: number;
  geoMultipliers: Record<string, number>;
  /** Where the models' regional-endpoint multipliers come from. */
  regionalSource?: string;
  /** Keyed by normalizeModel(id). */
  models: Map<string, PricedModel>;
}
