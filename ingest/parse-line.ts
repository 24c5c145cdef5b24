// One transcript line → a usage event, or the reason it does not count. Lines of other types (user, progress,
// summary, system, …) are "ignored", not errors: progress lines carry copies of subagent lines that are
// counted from the subagent's own file. A skip reason is returned for bad input, never thrown.
import { readAssistantLine } from './read-assistant-line.ts';

export interface UsageEvent {
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
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  webSearchRequests: number;
  costLoggedUsd: number | null;
}

export type SkipReason =
  | 'invalid_utf8'
  | 'invalid_json'
  | 'not_an_object'
  | 'missing_field'
  | 'wrong_type'
  | 'bad_timestamp'
  | 'oversized_unparsed';

export type LineResult =
  | { kind: 'event'; event: UsageEvent }
  | { kind: 'ignored'; why: 'other_type' | 'no_usage' | 'synthetic' }
  | { kind: 'skipped'; reason: SkipReason };

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeLine(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

export function parseLine(bytes: Uint8Array): LineResult {
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

export function toEvent(json: unknown): LineResult {
  if (!isRecord(json)) return { kind: 'skipped', reason: 'not_an_object' };
  if (json.type !== 'assistant') return { kind: 'ignored', why: 'other_type' };
  const message = json.message;
  if (!isRecord(message) || !('usage' in message) || message.usage === null)
    return { kind: 'ignored', why: 'no_usage' };
  if (message.model === '<synthetic>') return { kind: 'ignored', why: 'synthetic' };
  const line = readAssistantLine(json);
  if (typeof line === 'string') return { kind: 'skipped', reason: line };
  const ts = Date.parse(line.timestamp);
  if (!Number.isFinite(ts) || !/^\d{4}-\d{2}-\d{2}T/.test(line.timestamp))
    return { kind: 'skipped', reason: 'bad_timestamp' };
  const u = line.message.usage;
  const split = u.cache_creation;
  const split5m = split?.ephemeral_5m_input_tokens ?? 0;
  const split1h = split?.ephemeral_1h_input_tokens ?? 0;
  const cacheWrite = u.cache_creation_input_tokens ?? split5m + split1h;
  const cacheWrite1h = Math.min(split1h, cacheWrite);
  const requestId = line.requestId ?? null;
  return {
    kind: 'event',
    event: {
      key: requestId ? `${line.message.id}:${requestId}` : line.message.id,
      messageId: line.message.id,
      requestId,
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
      input: u.input_tokens,
      output: u.output_tokens,
      cacheWrite5m: cacheWrite - cacheWrite1h,
      cacheWrite1h,
      cacheRead: u.cache_read_input_tokens ?? 0,
      webSearchRequests: u.server_tool_use?.web_search_requests ?? 0,
      costLoggedUsd: line.costUSD ?? null,
    },
  };
}

export function totalTokens(
  e: Pick<UsageEvent, 'input' | 'output' | 'cacheWrite5m' | 'cacheWrite1h' | 'cacheRead'>,
): number {
  return e.input + e.output + e.cacheWrite5m + e.cacheWrite1h + e.cacheRead;
}
