// Reads LiteLLM's model_prices_and_context_window.json as a pricing file: per-token USD becomes USD per
// million tokens, `*_above_<N>k_tokens` fields a tier above N thousand, provider_specific_entry's `fast` the
// fast multiplier and its geo keys (`us`) the model's geo multipliers, search_context_cost_per_query the
// web-search fee. sample_spec, non-chat entries and entries without both token prices are skipped (never
// priced $0); a field that is not a non-negative number is a ConfigError naming the file and the entry.
import { ConfigError } from '../config.ts';
import { normalizeModel } from './normalize-model.ts';
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

  const chosen = new Map<string, { key: string; rank: number; entry: ModelEntry }>();
  for (const [key, entry] of Object.entries(json)) {
    if (key === 'sample_spec') continue;
    if (!isObject(entry)) bad(key, '', 'expected an object');
    const e = entry as Json;
    if (e.mode !== undefined && e.mode !== 'chat') continue;
    const input = num(key, e, 'input_cost_per_token');
    const output = num(key, e, 'output_cost_per_token');
    if (input === undefined || output === undefined) continue;
    const write5m = num(key, e, 'cache_creation_input_token_cost') ?? input;
    const base: Rates = {
      input: perMillion(input),
      output: perMillion(output),
      cacheWrite5m: perMillion(write5m),
      cacheWrite1h: perMillion(num(key, e, 'cache_creation_input_token_cost_above_1hr') ?? write5m),
      cacheRead: perMillion(num(key, e, 'cache_read_input_token_cost') ?? input),
    };
    const model: ModelEntry = { ...base, source: `${source} (LiteLLM format)` };

    const tiers = new Map<number, Partial<Rates>>();
    for (const field of Object.keys(e)) {
      const m = TIER_FIELD.exec(field);
      if (!m) continue;
      const value = num(key, e, field);
      if (value === undefined) continue;
      const above = Number(m[2]) * 1000;
      const kind = FIELDS.find(([, name]) => name === m[1])![0];
      tiers.set(above, { ...tiers.get(above), [kind]: perMillion(value) });
    }
    // A field a tier leaves out keeps the base rate, as LiteLLM prices it.
    if (tiers.size)
      model.tiers = [...tiers]
        .sort(([a], [b]) => a - b)
        .map(([above, r]): Tier => ({ above, ...base, ...r }));

    const specific = e.provider_specific_entry;
    if (specific !== undefined && specific !== null) {
      if (!isObject(specific)) bad(key, 'provider_specific_entry', 'expected an object');
      const s = specific as Json;
      for (const field of Object.keys(s)) {
        if (typeof s[field] !== 'number') continue;
        const value = num(key, s, field)!;
        if (field.toLowerCase() === 'fast') model.fastMultiplier = value;
        else model.geoMultipliers = { ...model.geoMultipliers, [field.toLowerCase()]: value };
      }
    }
    const search = e.search_context_cost_per_query;
    if (typeof search === 'number')
      model.webSearchPerThousand = num(key, e, 'search_context_cost_per_query')! * 1000;
    else if (isObject(search)) {
      const size = ['search_context_size_medium', 'search_context_size_low', 'search_context_size_high'].find(
        (k) => search[k] !== undefined,
      );
      if (size) model.webSearchPerThousand = Number((num(key, search, size)! * 1000).toPrecision(12));
    }

    const provider = typeof e.litellm_provider === 'string' ? e.litellm_provider : undefined;
    const rank = provider && FIRST_PARTY.has(provider) ? 0 : !provider && !key.includes('/') ? 1 : 2;
    const id = normalizeModel(key);
    const held = chosen.get(id);
    if (!held || rank < held.rank) chosen.set(id, { key, rank, entry: model });
  }
  return { models: Object.fromEntries([...chosen.values()].map((c) => [c.key, c.entry])) };
}
