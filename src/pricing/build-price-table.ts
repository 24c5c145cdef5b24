// Builds the price table from parsed pricing files, later files over earlier ones (the shipped table, then
// CTM_PRICING_FILE): a model of a later file replaces the earlier entry of the same normalized name whole;
// table-level settings replace key by key (a regional-endpoint multiplier is kept per model name, so it
// survives an override of the model's price). Dated changes become price periods, each the previous price with
// the change's fields laid over it. Pure apart from the ConfigError an alias or a multiplier to no model raises.
import { ConfigError } from '../config.ts';
import { normalizeModel } from './normalize-model.ts';
import type {
  ModelEntry,
  ModelPrice,
  PricedModel,
  PricePeriod,
  PriceTable,
  PricingFile,
} from './pricing-schema.ts';

export interface PricingSource {
  file: PricingFile;
  /** The file, for error messages. */
  name: string;
  /** The setting that named it, for error messages. */
  setting: string;
}

const DEFAULT_THRESHOLD = 200_000;

function basePrice(entry: ModelEntry, threshold: number): ModelPrice {
  const tiers = [...(entry.tiers ?? [])];
  if (entry.above200k) tiers.push({ above: threshold, ...entry.above200k });
  const price: ModelPrice = {
    input: entry.input,
    output: entry.output,
    cacheWrite5m: entry.cacheWrite5m,
    cacheWrite1h: entry.cacheWrite1h,
    cacheRead: entry.cacheRead,
    tiers,
  };
  if (entry.fastMultiplier !== undefined) price.fastMultiplier = entry.fastMultiplier;
  if (entry.webSearchPerThousand !== undefined) price.webSearchPerThousand = entry.webSearchPerThousand;
  if (entry.geoMultipliers !== undefined) price.geoMultipliers = entry.geoMultipliers;
  if (entry.peakHours !== undefined) price.peakHours = entry.peakHours;
  return price;
}

function periodsOf(entry: ModelEntry, threshold: number): PricePeriod[] {
  const periods: PricePeriod[] = [
    { from: -Infinity, price: basePrice(entry, threshold), source: entry.source },
  ];
  const changes = [...(entry.changes ?? [])].sort((a, b) => Date.parse(a.from) - Date.parse(b.from));
  for (const { from, source, peakHours, ...fields } of changes) {
    const price: ModelPrice = { ...periods.at(-1)!.price };
    for (const [key, value] of Object.entries(fields))
      if (value !== undefined) Object.assign(price, { [key]: value });
    if (peakHours === null) delete price.peakHours;
    else if (peakHours !== undefined) price.peakHours = peakHours;
    periods.push({ from: Date.parse(from), price, source: source ?? entry.source });
  }
  return periods;
}

export function buildPriceTable(sources: readonly PricingSource[]): PriceTable {
  const table: PriceTable = { webSearchPerThousand: 0, geoMultipliers: {}, models: new Map() };
  // Resolved at the end, so an override of claude-fable-5-1 also prices claude-mythos-5-1.
  const aliases = new Map<string, { alias: string; target: string; name: string; setting: string }>();
  const regional = new Map<string, { model: string; multiplier: number; name: string; setting: string }>();
  for (const { file, name, setting } of sources) {
    const threshold = file.longContextThreshold ?? DEFAULT_THRESHOLD;
    if (file.webSearchPerThousand !== undefined) table.webSearchPerThousand = file.webSearchPerThousand;
    Object.assign(table.geoMultipliers, file.geoMultipliers);
    if (file.regionalEndpoints?.source !== undefined) table.regionalSource = file.regionalEndpoints.source;
    for (const [model, multiplier] of Object.entries(file.regionalEndpoints?.models ?? {}))
      regional.set(normalizeModel(model), { model, multiplier, name, setting });
    for (const [id, entry] of Object.entries(file.models)) {
      const model: PricedModel = { id, periods: periodsOf(entry, threshold) };
      if (entry.source !== undefined) model.source = entry.source;
      if (entry.checked !== undefined) model.checked = entry.checked;
      if (entry.note !== undefined) model.note = entry.note;
      table.models.set(normalizeModel(id), model);
      aliases.delete(normalizeModel(id));
    }
    for (const [alias, target] of Object.entries(file.aliases ?? {}))
      aliases.set(normalizeModel(alias), { alias, target, name, setting });
  }
  // Before the aliases, which copy their model: claude-mythos-5-1 is regional as claude-fable-5-1 is.
  for (const [key, { model, multiplier, name, setting }] of regional) {
    const priced = table.models.get(key);
    if (!priced)
      throw new ConfigError(
        setting,
        `${name} has a bad entry at regionalEndpoints.models.${model}: no such model`,
      );
    priced.regionalMultiplier = multiplier;
  }
  for (const [key, { alias, target, name, setting }] of aliases) {
    const model = table.models.get(normalizeModel(target));
    if (!model || model.aliasOf)
      throw new ConfigError(setting, `${name} has a bad entry at aliases.${alias}: no model "${target}"`);
    table.models.set(key, { ...model, id: alias, aliasOf: model.id });
  }
  return table;
}
