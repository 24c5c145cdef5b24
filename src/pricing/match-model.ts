// Finds the price entry for a model id: exact id, then the id without a date suffix (-20251001), then the
// longest table entry that is a whole-segment prefix of it (a variant such as "-fast-preview"). Never a loose
// substring: a numeric next segment is a newer version, not a variant, so "claude-opus-4-9" is not priced
// as "claude-opus-4"; an unknown model stays unknown (reported as unpriced).
import type { ModelPrice, PriceTable } from './pricing-schema.ts';

const DATE_SUFFIX = /-\d{8}$/;
const VERSION_SEGMENT = /^\d+(-|$)/;

export function stripDateSuffix(model: string): string {
  return model.replace(DATE_SUFFIX, '');
}

export function matchModel(table: PriceTable, model: string): { id: string; price: ModelPrice } | undefined {
  const exact = table.models.get(model);
  if (exact) return { id: model, price: exact };
  const base = stripDateSuffix(model);
  const undated = table.models.get(base);
  if (undated) return { id: base, price: undated };
  let best: string | undefined;
  for (const id of table.models.keys()) {
    if (!base.startsWith(id + '-') || VERSION_SEGMENT.test(base.slice(id.length + 1))) continue;
    if (best === undefined || id.length > best.length) best = id;
  }
  return best === undefined ? undefined : { id: best, price: table.models.get(best)! };
}
