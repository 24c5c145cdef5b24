// The JSON document Claude Code pipes to a status-line command → the few fields ctm shows or records. Every
// field is optional and checked for its type (a wrong one counts as absent), so a new or older Claude Code
// never breaks the line; empty, truncated, non-JSON or oversized input (the reader stops at MAX_INPUT_BYTES)
// is a `problem`, with the session id and transcript path salvaged from the text when they are there. Times
// become epoch ms.

/** One window of `rate_limits` (five_hour, seven_day, spend_limit, or one Claude Code adds later). */
export interface LimitWindow {
  usedPercentage: number;
  resetsAt: number;
  usedUsd: number | null;
  limitUsd: number | null;
  period: string | null;
}

/** `prompt_cache`: the main conversation's prompt-cache health. */
export interface PromptCache {
  warm: boolean | null;
  cachingObserved: boolean | null;
  ttl: string | null;
  expiresAt: number | null;
  requests: number | null;
  misses: number | null;
  expectedRebuilds: number | null;
  hitRatio: number | null;
  cacheWriteTokens: number | null;
  missRecacheTokens: number | null;
  lastMissAt: number | null;
  lastMissCauses: string[];
}

export interface StatusInput {
  sessionId: string | null;
  transcriptPath: string | null;
  modelId: string | null;
  modelName: string | null;
  /** cost.total_cost_usd: Claude Code's own estimate of the session's cost. */
  claudeCostUsd: number | null;
  /** Share of the context window in use, 0–100. */
  contextPercent: number | null;
  rateLimits: Record<string, LimitWindow>;
  promptCache: PromptCache | null;
  /** Why the document could not be read whole; null when it could. */
  problem: 'empty' | 'not_json' | 'not_an_object' | 'too_large' | null;
}

/** Claude Code's document is a few KB: a reader stops after this many bytes, and the text is not JSON. */
export const MAX_INPUT_BYTES = 1 << 20;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
const count = (v: unknown): number | null => {
  const n = num(v);
  return n !== null && n >= 0 && Number.isSafeInteger(n) ? n : null;
};

/** Epoch seconds (as documented) or ms → ms; anything before 2001 (1e9 s, 1e12 ms) or past 2286 is no time,
 * in either unit (ms of 1973–2001 too). */
function epochMs(v: unknown): number | null {
  const n = num(v);
  if (n === null || n < 1e9) return null;
  const ms = n < 1e11 ? Math.round(n * 1000) : Math.round(n);
  return ms >= 1e12 && ms < 1e13 ? ms : null;
}

/** A window name safe to store and label a metric with. */
const WINDOW_NAME = /^[a-z][a-z0-9_]{0,39}$/;

function limitWindow(v: unknown): LimitWindow | null {
  if (!isObj(v)) return null;
  const usedPercentage = num(v.used_percentage);
  const resetsAt = epochMs(v.resets_at);
  // Above 100 % once a spend limit is exceeded; anything beyond 1000 % is not a reading.
  if (usedPercentage === null || usedPercentage < 0 || usedPercentage > 1000 || resetsAt === null)
    return null;
  const usd = (x: unknown) => {
    const n = num(x);
    return n !== null && n >= 0 ? n : null;
  };
  const period = str(v.period);
  return {
    usedPercentage,
    resetsAt,
    usedUsd: usd(v.used_usd),
    limitUsd: usd(v.limit_usd),
    period: period && WINDOW_NAME.test(period) ? period : null,
  };
}

function promptCache(v: unknown): PromptCache | null {
  if (!isObj(v)) return null;
  const cause = isObj(v.last_miss_cause) ? v.last_miss_cause : {};
  const causes = Array.isArray(cause.causes)
    ? cause.causes.filter((c): c is string => typeof c === 'string' && WINDOW_NAME.test(c)).slice(0, 8)
    : [];
  const ratio = num(v.hit_ratio);
  return {
    warm: bool(v.warm),
    cachingObserved: bool(v.caching_observed),
    ttl: v.ttl === '5m' || v.ttl === '1h' ? v.ttl : null,
    expiresAt: epochMs(v.expires_at),
    requests: count(v.requests),
    misses: count(v.misses),
    expectedRebuilds: count(v.expected_rebuilds),
    hitRatio: ratio !== null && ratio >= 0 && ratio <= 1 ? ratio : null,
    cacheWriteTokens: count(v.cache_write_tokens),
    missRecacheTokens: count(v.miss_recache_tokens),
    lastMissAt: epochMs(v.last_miss_at),
    lastMissCauses: causes,
  };
}

function contextPercent(cw: unknown): number | null {
  if (!isObj(cw)) return null;
  const used = num(cw.used_percentage);
  if (used !== null && used >= 0 && used <= 100) return used;
  // Older Claude Code: only the last call's usage and the window's size.
  const size = num(cw.context_window_size);
  const u = isObj(cw.current_usage) ? cw.current_usage : null;
  if (!size || size <= 0 || !u) return null;
  const tokens =
    (count(u.input_tokens) ?? 0) +
    (count(u.cache_creation_input_tokens) ?? 0) +
    (count(u.cache_read_input_tokens) ?? 0);
  return Math.min(100, (tokens / size) * 100);
}

const empty = (problem: StatusInput['problem']): StatusInput => ({
  sessionId: null,
  transcriptPath: null,
  modelId: null,
  modelName: null,
  claudeCostUsd: null,
  contextPercent: null,
  rateLimits: {},
  promptCache: null,
  problem,
});

/** A JSON string value of `key` in text that is not whole JSON (truncated): enough to find the session. */
function salvage(text: string, key: string): string | null {
  const m = new RegExp(`"${key}"\\s*:\\s*"((?:[^"\\\\]|\\\\.){1,4096})"`).exec(text);
  if (!m) return null;
  try {
    return str(JSON.parse(`"${m[1]}"`));
  } catch {
    return null;
  }
}

/** The document; `tooLarge` when the reader stopped at MAX_INPUT_BYTES (the text is its first bytes). */
export function parseStatusInput(text: string, tooLarge = false): StatusInput {
  if (text.trim() === '' && !tooLarge) return empty('empty');
  let json: unknown;
  try {
    if (tooLarge) throw new Error('too large');
    json = JSON.parse(text);
  } catch {
    const partial = empty(tooLarge ? 'too_large' : 'not_json');
    partial.sessionId = salvage(text, 'session_id');
    partial.transcriptPath = salvage(text, 'transcript_path');
    return partial;
  }
  if (!isObj(json)) return empty('not_an_object');
  const model = isObj(json.model) ? json.model : {};
  const cost = isObj(json.cost) ? json.cost : {};
  const rateLimits: Record<string, LimitWindow> = {};
  if (isObj(json.rate_limits)) {
    for (const [name, value] of Object.entries(json.rate_limits)) {
      const w = WINDOW_NAME.test(name) ? limitWindow(value) : null;
      if (w) rateLimits[name] = w;
    }
  }
  const claudeCost = num(cost.total_cost_usd);
  return {
    sessionId: str(json.session_id),
    transcriptPath: str(json.transcript_path),
    modelId: str(model.id),
    modelName: str(model.display_name),
    claudeCostUsd: claudeCost !== null && claudeCost >= 0 ? claudeCost : null,
    contextPercent: contextPercent(json.context_window),
    rateLimits,
    promptCache: promptCache(json.prompt_cache),
    problem: null,
  };
}
