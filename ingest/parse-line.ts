// One transcript line → a usage event, or the reason it does not count. Lines of other types (user, progress,
// summary, system, attachment, …) are "ignored", not errors, and named by their type so a pass can count
// them: progress lines carry copies of subagent lines that are counted from the subagent's own file. Besides
// usage, two kinds of line are facts of their own: Claude Code's cumulative `cost-state` per session, and the
// synthetic rate-limit lines that mark a limit hit (never usage). A skip reason is returned for bad input,
// never thrown.
import { isUtf8 } from 'node:buffer';
import { contentSpan } from './content-span.ts';
import { readAssistantLine } from './read-assistant-line.ts';
import { isPlausibleCost } from './plausible.ts';
import type { Iteration } from './usage-line-schema.ts';

export interface UsageEvent {
  /** Dedup key: the message id for a response's own row, `<message id>:advisor:<n>` for its advisor parts. */
  key: string;
  messageId: string;
  requestId: string | null;
  ts: number;
  model: string;
  sessionId: string | null;
  cwd: string | null;
  gitBranch: string | null;
  version: string | null;
  isSidechain: boolean;
  agentId: string | null;
  serviceTier: string | null;
  speed: string | null;
  geo: string | null;
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  /** Part of output (never added to it). */
  thinking: number;
  webSearchRequests: number;
  webFetchRequests: number;
  costLoggedUsd: number | null;
  /** The message id of the response an advisor row belongs to; null on a response's own row. */
  advisorOf: string | null;
}

/** Claude Code's own cumulative figures for a session (the last such line of a session wins). */
export interface CostState {
  sessionId: string | null;
  totalCostUsd: number;
  /** Per model as Claude Code wrote it, model names without a `[1m]` suffix. */
  modelUsage: Record<string, unknown>;
}

/** A rate-limit hit: when, and when the limit resets (epoch ms, or null when the line does not say). */
export interface LimitHit {
  key: string;
  ts: number;
  sessionId: string | null;
  status: string | null;
  rateLimitType: string | null;
  resetsAt: number | null;
}

export type SkipReason =
  | 'invalid_utf8'
  | 'invalid_json'
  | 'not_an_object'
  | 'missing_field'
  | 'wrong_type'
  | 'implausible_usage'
  | 'bad_timestamp'
  | 'oversized_unparsed';

export type LineResult =
  | { kind: 'event'; event: UsageEvent; advisors: UsageEvent[] }
  | { kind: 'costState'; costState: CostState }
  | { kind: 'limitHit'; limitHit: LimitHit }
  | { kind: 'ignored'; why: 'other_type' | 'no_usage' | 'synthetic'; type: string }
  | { kind: 'skipped'; reason: SkipReason };

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeLine(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Lines shorter than this are parsed whole: finding their content would cost more than it saves. */
const STRIP_FROM = 1024;

export function parseLine(bytes: Uint8Array): LineResult {
  if (bytes.length >= STRIP_FROM) {
    // message.content (most of the bytes; accounting reads none of it) is left out of the parse: its bytes
    // are only checked to be UTF-8 with closed strings and balanced brackets, so a line's verdict is the same
    // as parsing it whole, bar JSON broken inside the content otherwise (a dropped comma, a bad escape): such
    // a line counts as its usage says instead of being skipped. A line the walk does not follow is parsed
    // whole.
    const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const span = contentSpan(b);
    if (span) {
      if (!isUtf8(b.subarray(span[0], span[1]))) return { kind: 'skipped', reason: 'invalid_utf8' };
      // The parts either side decode on their own: a span starts and ends at ASCII bytes ([ ] or ").
      const head = decodeLine(b.subarray(0, span[0]));
      const tail = decodeLine(b.subarray(span[1]));
      if (head === undefined || tail === undefined) return { kind: 'skipped', reason: 'invalid_utf8' };
      const text = head + '[]' + tail;
      try {
        const result = toEvent(JSON.parse(text));
        // A synthetic line's verdict reads its text (an older limit hit): it is parsed whole below.
        if (result.kind !== 'ignored' || result.why !== 'synthetic') return result;
      } catch {
        // Not JSON around the content: the whole line decides below.
      }
    }
  }
  return parseWhole(bytes);
}

/** The verdict of parsing the whole line (what the content-skipping path must agree with). */
export function parseWhole(bytes: Uint8Array): LineResult {
  const text = decodeLine(bytes);
  if (text === undefined) return { kind: 'skipped', reason: 'invalid_utf8' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'skipped', reason: 'invalid_json' };
  }
  return toEvent(json);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const typeName = (t: unknown): string => (typeof t === 'string' ? t.slice(0, 64) : '(none)');

/** `[1m]` (the 1M-context marker of cost-state names) is not part of the model's name. */
export const stripContextSuffix = (model: string): string => model.replace(/\[1m\]$/i, '');

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})T/;
const HAS_ZONE = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;
const HOURS_ONLY = /T.*[+-]\d{2}$/;
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** An ISO 8601 date and time as epoch ms, or undefined: a date the calendar has (no 30 February, which
 * Date.parse would take as 2 March), a year from 2000 to 2099 (a clock at 0 or in the year 9999 is not a
 * time of use), and UTC when no zone is given (never the zone of the machine ctm runs on). */
function parseTimestamp(value: string): number | undefined {
  const date = ISO_DATE.exec(value);
  if (!date) return undefined;
  const year = Number(date[1]);
  const month = Number(date[2]);
  const day = Number(date[3]);
  if (year < 2000 || year > 2099 || month < 1 || month > 12 || day < 1 || day > MONTH_DAYS[month - 1]!)
    return undefined;
  if (month === 2 && day === 29 && (year % 4 !== 0 || (year % 100 === 0 && year % 400 !== 0)))
    return undefined;
  // Date.parse wants an offset's minutes (`-05` → `-05:00`).
  const zoned = HAS_ZONE.test(value) ? (HOURS_ONLY.test(value) ? value + ':00' : value) : value + 'Z';
  const ts = Date.parse(zoned);
  return Number.isFinite(ts) ? ts : undefined;
}

/** An epoch in seconds or ms, or an ISO date, as ms. */
function epochMs(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0)
    return value < 1e12 ? Math.round(value * 1000) : Math.round(value);
  if (typeof value === 'string') return parseTimestamp(value) ?? null;
  return null;
}

function toCostState(json: Record<string, unknown>): LineResult {
  const total = json.totalCostUSD;
  if (typeof total !== 'number')
    return { kind: 'skipped', reason: total === undefined ? 'missing_field' : 'wrong_type' };
  if (!isPlausibleCost(total)) return { kind: 'skipped', reason: 'implausible_usage' };
  const modelUsage: Record<string, unknown> = {};
  if (isRecord(json.modelUsage))
    for (const [model, usage] of Object.entries(json.modelUsage))
      modelUsage[stripContextSuffix(model)] = usage;
  const sessionId = typeof json.sessionId === 'string' ? json.sessionId : null;
  return { kind: 'costState', costState: { sessionId, totalCostUsd: total, modelUsage } };
}

/** Older Claude Code wrote a limit hit only as the text `Claude AI usage limit reached|<epoch seconds>` of a
 * synthetic response (the form ccusage reads): its reset time, or undefined for any other synthetic line. */
const TEXT_LIMIT = /^Claude AI usage limit reached\|(\d{9,11})$/;
function textLimitReset(content: unknown): number | undefined {
  if (!Array.isArray(content)) return undefined;
  for (const block of content) {
    const text =
      isRecord(block) && typeof block.text === 'string' ? TEXT_LIMIT.exec(block.text.trim()) : null;
    if (text) return Number(text[1]) * 1000;
  }
  return undefined;
}

function toLimitHit(json: Record<string, unknown>, textResetsAt?: number): LineResult {
  const ts = typeof json.timestamp === 'string' ? parseTimestamp(json.timestamp) : undefined;
  if (ts === undefined) return { kind: 'skipped', reason: 'bad_timestamp' };
  const quota = isRecord(json.quotaLimits) ? json.quotaLimits : {};
  const sessionId = typeof json.sessionId === 'string' ? json.sessionId : null;
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return {
    kind: 'limitHit',
    limitHit: {
      key: str(json.uuid) ?? `${sessionId ?? ''}@${ts}`,
      ts,
      sessionId,
      status: str(quota.status),
      rateLimitType: str(quota.rateLimitType),
      resetsAt: epochMs(quota.resetsAt) ?? textResetsAt ?? null,
    },
  };
}

/** A positive flat field wins and a split only says how much of it is 1h (a {0, 0} split is no split); a flat 0
 * (or none) beside a split that holds writes takes the split. */
function cacheWrites(
  flat: number | null | undefined,
  split:
    | { ephemeral_5m_input_tokens?: number | null; ephemeral_1h_input_tokens?: number | null }
    | null
    | undefined,
): { cacheWrite5m: number; cacheWrite1h: number } {
  const split5m = split?.ephemeral_5m_input_tokens ?? 0;
  const split1h = split?.ephemeral_1h_input_tokens ?? 0;
  // A flat 0 beside a split that holds writes is Claude Code's bug before 2.1.152 (it wrote 0 when the API
  // reported the writes only in the split): the split is the count. A positive flat figure is the total.
  const total = flat || split5m + split1h;
  const cacheWrite1h = Math.min(split1h, total);
  return { cacheWrite5m: total - cacheWrite1h, cacheWrite1h };
}

function advisorEvents(
  parent: UsageEvent,
  iterations: readonly Iteration[] | null | undefined,
): UsageEvent[] {
  if (!iterations) return [];
  const out: UsageEvent[] = [];
  for (const it of iterations) {
    if (it.type !== 'advisor_message' || !it.model) continue;
    out.push({
      ...parent,
      key: `${parent.messageId}:advisor:${out.length}`,
      model: it.model,
      // The fast and US-only multipliers are the answering request's; the advisor's own usage says nothing.
      speed: null,
      input: it.input_tokens ?? 0,
      output: it.output_tokens ?? 0,
      ...cacheWrites(it.cache_creation_input_tokens, it.cache_creation),
      cacheRead: it.cache_read_input_tokens ?? 0,
      thinking: 0,
      webSearchRequests: 0,
      webFetchRequests: 0,
      costLoggedUsd: null,
      advisorOf: parent.messageId,
    });
  }
  return out;
}

export function toEvent(json: unknown): LineResult {
  if (!isRecord(json)) return { kind: 'skipped', reason: 'not_an_object' };
  if (json.type === 'cost-state') return toCostState(json);
  if (json.type !== 'assistant') return { kind: 'ignored', why: 'other_type', type: typeName(json.type) };
  if (json.error === 'rate_limit' || json.apiErrorStatus === 429) return toLimitHit(json);
  const message = json.message;
  if (!isRecord(message) || !('usage' in message) || message.usage === null)
    return { kind: 'ignored', why: 'no_usage', type: 'assistant' };
  if (message.model === '<synthetic>') {
    const resetsAt = textLimitReset(message.content);
    if (resetsAt !== undefined) return toLimitHit(json, resetsAt);
    return { kind: 'ignored', why: 'synthetic', type: 'assistant' };
  }
  const line = readAssistantLine(json);
  if (typeof line === 'string') return { kind: 'skipped', reason: line };
  const ts = parseTimestamp(line.timestamp);
  if (ts === undefined) return { kind: 'skipped', reason: 'bad_timestamp' };
  const u = line.message.usage;
  const event: UsageEvent = {
    key: line.message.id,
    messageId: line.message.id,
    requestId: line.requestId ?? null,
    ts,
    model: line.message.model,
    sessionId: line.sessionId ?? null,
    cwd: line.cwd ?? null,
    gitBranch: line.gitBranch ?? null,
    version: line.version ?? null,
    isSidechain: line.isSidechain ?? false,
    agentId: line.agentId ?? null,
    serviceTier: u.service_tier ?? null,
    speed: u.speed ?? null,
    geo: u.inference_geo ?? null,
    input: u.input_tokens ?? 0,
    output: u.output_tokens ?? 0,
    ...cacheWrites(u.cache_creation_input_tokens, u.cache_creation),
    cacheRead: u.cache_read_input_tokens ?? 0,
    thinking: u.output_tokens_details?.thinking_tokens ?? 0,
    webSearchRequests: u.server_tool_use?.web_search_requests ?? 0,
    webFetchRequests: u.server_tool_use?.web_fetch_requests ?? 0,
    costLoggedUsd: line.costUSD ?? u.cost ?? null,
    advisorOf: null,
  };
  return { kind: 'event', event, advisors: advisorEvents(event, u.iterations) };
}

export function totalTokens(
  e: Pick<UsageEvent, 'input' | 'output' | 'cacheWrite5m' | 'cacheWrite1h' | 'cacheRead'>,
): number {
  return e.input + e.output + e.cacheWrite5m + e.cacheWrite1h + e.cacheRead;
}
