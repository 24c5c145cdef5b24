// What `ctm prices` reports, as data (its JSON): every model of the price table in effect with the price that
// applies now and each dated period, and the models the index holds messages of without a price. Pure: the
// table, the index's rows and the clock are passed in.
import type { UnpricedModelRow } from '../db/queries/unpriced-models.ts';
import { matchModel, priceAt } from '../pricing/match-model.ts';
import { BEDROCK_GEOGRAPHIES } from '../pricing/regional-endpoint.ts';
import type { ModelPrice, PeakHours, PriceTable, Rates, Tier } from '../pricing/pricing-schema.ts';

/** The rates are USD per million tokens. */
export interface PriceJson extends Rates {
  /** The whole request at these rates when input + cache writes + cache reads exceed `above`. */
  tiers: Tier[];
  fastMultiplier: number | null;
  /** This model's own web-search fee and inference_geo multipliers; null: the table's. */
  webSearchPerThousand: number | null;
  geoMultipliers: Record<string, number> | null;
  peakHours: PeakHours | null;
}

export interface ModelPriceEntry extends PriceJson {
  model: string;
  /** The entry this name is another name of (priced the same), or null. */
  aliasOf: string | null;
  source: string | null;
  checked: string | null;
  note: string | null;
  /** On every token rate when the log's name names a regional endpoint (a Bedrock us./eu./apac./au./jp.
   * profile or an in-Region anthropic. id), or null. */
  regionalMultiplier: number | null;
  /** Every dated price, oldest first; the first has from null (it applies before any change). */
  periods: (PriceJson & { from: string | null; source: string | null })[];
}

export interface UnpricedEntry {
  model: string;
  messages: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  firstUse: string;
  lastUse: string;
  /** The table entry that prices this model now (the index was priced with an older table), or null. */
  pricedAs: string | null;
}

export interface PriceList {
  pricingFile: string | null;
  webSearchPerThousand: number;
  geoMultipliers: Record<string, number>;
  /** The regional endpoints' name prefixes, and where the models' multipliers come from. */
  regionalEndpoints: { prefixes: string[]; source: string | null };
  models: ModelPriceEntry[];
  /** null when there is no index yet. */
  unpriced: UnpricedEntry[] | null;
}

export function priceJson(p: ModelPrice): PriceJson {
  return {
    input: p.input,
    output: p.output,
    cacheWrite5m: p.cacheWrite5m,
    cacheWrite1h: p.cacheWrite1h,
    cacheRead: p.cacheRead,
    tiers: p.tiers.map(({ above, input, output, cacheWrite5m, cacheWrite1h, cacheRead }) => ({
      above,
      input,
      output,
      cacheWrite5m,
      cacheWrite1h,
      cacheRead,
    })),
    fastMultiplier: p.fastMultiplier ?? null,
    webSearchPerThousand: p.webSearchPerThousand ?? null,
    geoMultipliers: p.geoMultipliers ?? null,
    peakHours: p.peakHours ?? null,
  };
}

export function priceList(
  table: PriceTable,
  pricingFile: string | undefined,
  unpriced: readonly UnpricedModelRow[] | null,
  now: number,
): PriceList {
  const models = [...table.models.values()].map((m) => ({
    model: m.id,
    aliasOf: m.aliasOf ?? null,
    ...priceJson(priceAt(m, now)),
    source: m.source ?? null,
    checked: m.checked ?? null,
    note: m.note ?? null,
    regionalMultiplier: m.regionalMultiplier ?? null,
    periods: m.periods.map((p) => ({
      from: Number.isFinite(p.from) ? new Date(p.from).toISOString() : null,
      source: p.source ?? null,
      ...priceJson(p.price),
    })),
  }));
  return {
    pricingFile: pricingFile ?? null,
    webSearchPerThousand: table.webSearchPerThousand,
    geoMultipliers: { ...table.geoMultipliers },
    regionalEndpoints: {
      prefixes: [...BEDROCK_GEOGRAPHIES.map((g) => `${g}.anthropic.`), 'anthropic.'],
      source: table.regionalSource ?? null,
    },
    models,
    unpriced:
      unpriced?.map((r) => ({
        model: r.model,
        messages: r.messages,
        inputTokens: r.inputTokens,
        outputTokens: r.outputTokens,
        cacheCreationTokens: r.cacheWrite5mTokens + r.cacheWrite1hTokens,
        cacheReadTokens: r.cacheReadTokens,
        totalTokens: r.totalTokens,
        firstUse: new Date(r.firstTs).toISOString(),
        lastUse: new Date(r.lastTs).toISOString(),
        pricedAs: matchModel(table, r.model)?.id ?? null,
      })) ?? null,
  };
}
