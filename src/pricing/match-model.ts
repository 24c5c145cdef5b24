// Finds the price table entry of a model name as a log spells it: the normalized name exactly, else the
// longest entry that is a whole-segment prefix of it (a variant such as "-fast-preview" or "-highspeed").
// Never a loose substring: a numeric next segment is a newer version, not a variant, so "claude-opus-4-9"
// is not priced as "claude-opus-4"; an unknown model stays unknown (reported as unpriced, never $0).
import type { ModelPrice, PricedModel, PriceTable } from './pricing-schema.ts';
import { normalizeModel } from './normalize-model.ts';

const VERSION_SEGMENT = /^\d+(-|$)/;

/** Per table, each log name's match: an ingest prices every request, and a log holds a handful of names. A
 * table is never changed once built. */
const matches = new WeakMap<PriceTable, Map<string, PricedModel | undefined>>();

export function matchModel(table: PriceTable, model: string): PricedModel | undefined {
  let known = matches.get(table);
  if (!known) matches.set(table, (known = new Map()));
  if (known.has(model)) return known.get(model);
  const match = findModel(table, model);
  if (known.size < 10_000) known.set(model, match);
  return match;
}

function findModel(table: PriceTable, model: string): PricedModel | undefined {
  const key = normalizeModel(model);
  const exact = table.models.get(key);
  if (exact) return exact;
  let best: string | undefined;
  for (const id of table.models.keys()) {
    if (!key.startsWith(id + '-') || VERSION_SEGMENT.test(key.slice(id.length + 1))) continue;
    if (best === undefined || id.length > best.length) best = id;
  }
  return best === undefined ? undefined : table.models.get(best);
}

/** The price that applies at `ts` (epoch ms, UTC): the last period starting at or before it. */
export function priceAt(model: PricedModel, ts: number): ModelPrice {
  let price = model.periods[0]!.price;
  for (const period of model.periods) if (period.from <= ts) price = period.price;
  return price;
}
