// Reads LiteLLM's model_prices_and_context_window.json as a pricing file: per-token USD becomes USD per
// million tokens, `*_above_<N>k_tokens` fields a tier above N thousand, provider_specific_entry's `fast` the
// fast multiplier and its geo keys (`us`) the model's geo multipliers, search_context_cost_per_query the
// web-search fee. Of several entries of one model the vendor's own wins, a regional Bedrock one's last;
// entries of one rank are merged field by field. sample_spec, non-chat entries and entries without both token
// prices are skipped (never priced $0); a field that is not a non-negative number is a ConfigError naming the
// file and the entry.
import { ConfigError } from '../config.ts';
import { normalizeModel } from './normalize-model.ts';
import { isRegionalEndpoint } from './regional-endpoint.ts';
import type { ModelEntry, PricingFile, Rates, Tier } from './pricing-schema.ts';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** LiteLLM's file is a flat map of entries with per-token prices; ctm's own format has `models`. */
export function isLiteLlmFormat(json: unknown): boolean {
  return (
    isObject(json) &&
    !('models' in json) &&
    Object.values(json).some(
      (e) => isObject(e) && ('input_cost_per_token' in e || 'output_cost_per_token' in e),
    )
  );
}

const FIELDS: [keyof Rates, string][] = [
  ['input', 'input_cost_per_token'],
  ['output', 'output_cost_per_token'],
  ['cacheWrite5m', 'cache_creation_input_token_cost'],
  ['cacheWrite1h', 'cache_creation_input_token_cost_above_1hr'],
  ['cacheRead', 'cache_read_input_token_cost'],
];
// The 1h field first: its name extends the 5m one.
const TIER_FIELD =
  /^(cache_creation_input_token_cost_above_1hr|input_cost_per_token|output_cost_per_token|cache_creation_input_token_cost|cache_read_input_token_cost)_above_(\d+)k_tokens$/;
/** Providers that sell their own models: their entry wins when several normalize to one model. */
const FIRST_PARTY = new Set([
  'anthropic',
  'deepseek',
  'moonshot',
  'minimax',
  'openai',
  'gemini',
  'mistral',
  'xai',
]);

/** Per token → per million, without float noise (3e-6 × 1e6 is 3.0000000000000004). */
const perMillion = (perToken: number): number => Number((perToken * 1_000_000).toPrecision(12));

/** What one entry states itself, before the defaults (a missing write or read rate is the input rate). */
interface Stated {
  rates: Partial<Rates>;
  tiers: Map<number, Partial<Rates>>;
  fastMultiplier?: number;
  geoMultipliers?: Record<string, number>;
  webSearchPerThousand?: number;
}

const statedCount = (s: Stated): number =>
  Object.keys(s.rates).length +
  [...s.tiers.values()].reduce((n, t) => n + Object.keys(t).length, 0) +
  Object.keys(s.geoMultipliers ?? {}).length +
  (s.fastMultiplier === undefined ? 0 : 1) +
  (s.webSearchPerThousand === undefined ? 0 : 1);

/** Field by field, the first entry that states a field gives it. */
function merge(entries: readonly Stated[]): Stated {
  const out: Stated = { rates: {}, tiers: new Map() };
  for (const e of entries) {
    out.rates = { ...e.rates, ...out.rates };
    for (const [above, r] of e.tiers) out.tiers.set(above, { ...r, ...out.tiers.get(above) });
    if (e.geoMultipliers) out.geoMultipliers = { ...e.geoMultipliers, ...out.geoMultipliers };
    out.fastMultiplier ??= e.fastMultiplier;
    out.webSearchPerThousand ??= e.webSearchPerThousand;
  }
  return out;
}

function toEntry(s: Stated, source: string): ModelEntry {
  const { input, output } = s.rates as Rates;
  const write5m = s.rates.cacheWrite5m ?? input;
  const base: Rates = {
    input,
    output,
    cacheWrite5m: write5m,
    cacheWrite1h: s.rates.cacheWrite1h ?? write5m,
    cacheRead: s.rates.cacheRead ?? input,
  };
  const model: ModelEntry = { ...base, source: `${source} (LiteLLM format)` };
  // A field a tier leaves out keeps the base rate, as LiteLLM prices it.
  if (s.tiers.size)
    model.tiers = [...s.tiers]
      .sort(([a], [b]) => a - b)
      .map(([above, r]): Tier => ({ above, ...base, ...r }));
  if (s.fastMultiplier !== undefined) model.fastMultiplier = s.fastMultiplier;
  if (s.geoMultipliers !== undefined) model.geoMultipliers = s.geoMultipliers;
  if (s.webSearchPerThousand !== undefined) model.webSearchPerThousand = s.webSearchPerThousand;
  return model;
}

export function fromLiteLlm(json: Json, source: string, setting: string): PricingFile {
  const bad = (key: string, field: string, what: string): never => {
    throw new ConfigError(
      setting,
      `${source} has a bad entry at "${key}"${field ? `.${field}` : ''}: ${what}`,
    );
  };
  const num = (key: string, entry: Json, field: string): number | undefined => {
    const value = entry[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      bad(key, field, `expected a non-negative number, got ${JSON.stringify(value)}`);
    return value as number;
  };

  const read = (key: string, e: Json): Stated | undefined => {
    if (num(key, e, 'input_cost_per_token') === undefined) return undefined;
    if (num(key, e, 'output_cost_per_token') === undefined) return undefined;
    const stated: Stated = { rates: {}, tiers: new Map() };
    for (const [kind, field] of FIELDS) {
      const value = num(key, e, field);
      if (value !== undefined) stated.rates[kind] = perMillion(value);
    }
    for (const field of Object.keys(e)) {
      const m = TIER_FIELD.exec(field);
      if (!m) continue;
      const value = num(key, e, field);
      if (value === undefined) continue;
      const above = Number(m[2]) * 1000;
      const kind = FIELDS.find(([, name]) => name === m[1])![0];
      stated.tiers.set(above, { ...stated.tiers.get(above), [kind]: perMillion(value) });
    }

    const specific = e.provider_specific_entry;
    if (specific !== undefined && specific !== null) {
      if (!isObject(specific)) bad(key, 'provider_specific_entry', 'expected an object');
      const s = specific as Json;
      for (const field of Object.keys(s)) {
        if (typeof s[field] !== 'number') continue;
        const value = num(key, s, field)!;
        if (field.toLowerCase() === 'fast') stated.fastMultiplier = value;
        else stated.geoMultipliers = { ...stated.geoMultipliers, [field.toLowerCase()]: value };
      }
    }
    const search = e.search_context_cost_per_query;
    if (typeof search === 'number')
      stated.webSearchPerThousand = num(key, e, 'search_context_cost_per_query')! * 1000;
    else if (isObject(search)) {
      const size = ['search_context_size_medium', 'search_context_size_low', 'search_context_size_high'].find(
        (k) => search[k] !== undefined,
      );
      if (size) stated.webSearchPerThousand = Number((num(key, search, size)! * 1000).toPrecision(12));
    }
    return stated;
  };

  // Per model, the entries of the best rank. LiteLLM often lists one model under two names of one rank
  // (claude-4-opus-20250514 without the 1-hour write, claude-opus-4-20250514 with it): they are merged, the
  // entry that states more fields first (then by name), so the result never depends on the file's key order.
  const chosen = new Map<string, { rank: number; entries: { key: string; stated: Stated }[] }>();
  for (const [key, entry] of Object.entries(json)) {
    if (key === 'sample_spec') continue;
    if (!isObject(entry)) bad(key, '', 'expected an object');
    const e = entry as Json;
    if (e.mode !== undefined && e.mode !== 'chat') continue;
    const stated = read(key, e);
    if (!stated) continue;
    const provider = typeof e.litellm_provider === 'string' ? e.litellm_provider : undefined;
    // A regional Bedrock entry (us.anthropic.…) comes last: its price holds the regional premium, which the
    // table's regional-endpoint multipliers add again for such a name.
    const rank =
      (provider && FIRST_PARTY.has(provider) ? 0 : !provider && !key.includes('/') ? 1 : 2) +
      (isRegionalEndpoint(key) ? 3 : 0);
    const id = normalizeModel(key);
    const held = chosen.get(id);
    if (!held || rank < held.rank) chosen.set(id, { rank, entries: [{ key, stated }] });
    else if (rank === held.rank) held.entries.push({ key, stated });
  }
  const models: Record<string, ModelEntry> = {};
  for (const { entries } of chosen.values()) {
    entries.sort(
      (a, b) => statedCount(b.stated) - statedCount(a.stated) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    );
    models[entries[0]!.key] = toEntry(merge(entries.map((e) => e.stated)), source);
  }
  return { models };
}
