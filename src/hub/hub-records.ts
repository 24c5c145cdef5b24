// Decoded OTLP log records → the rows a hub stores, for the machine a token belongs to. Two kinds count: a ctm
// agent's `ctm.usage` and `ctm.session_cost` records, and Claude Code's own `claude_code.api_request`
// events. Every other event (Claude Code sends its tool, prompt and error events to the same endpoint) is
// accepted and ignored. A record of a known kind that lacks a field or holds an implausible number is
// rejected with its reason; a resource claiming another machine than the token's makes the whole request
// forbidden. Pure: nothing here touches the database.
import { isPlausibleCost, isPlausibleCount } from '../../ingest/plausible.ts';
import { terminalSafeLine } from '../format/terminal-safe.ts';
import {
  RESOURCE,
  SESSION_COST,
  SESSION_COST_EVENT,
  USAGE_COUNTS,
  USAGE_EVENT,
  USAGE_FLAGS,
  USAGE_LOGGED_COST,
  USAGE_STRINGS,
} from './ctm-usage.ts';
import type { AttrValue, Attrs, LogRecordIn, ResourceLogsIn } from './otlp-logs.ts';
import type { PushRow } from '../db/queries/push-rows.ts';
import type { PushSessionCost } from '../db/queries/push-session-costs.ts';

export const TELEMETRY_EVENT = 'claude_code.api_request';
/** The project of telemetry rows: Claude Code's events name no project directory. */
export const TELEMETRY_PROJECT = '(telemetry)';
/** Where a hub key of a telemetry row starts (agent rows are keyed by message id). */
export const TELEMETRY_KEY_PREFIX = 'otel:';

/** A usage row as an agent sends it (its index's row, push-rows.ts) or as telemetry gives it, and its user. */
export type HubUsage = Omit<PushRow, 'rowid' | 'isSidechain'> & {
  source: 'agent' | 'telemetry';
  isSidechain: boolean;
  user: string;
};

export interface HubBatch {
  machine: string;
  usage: HubUsage[];
  sessionCosts: PushSessionCost[];
  /** Records of other events, accepted and not stored. */
  ignored: number;
  /** Rejected records per reason. */
  rejected: Map<string, number>;
  /** What the agent said it still has to send, when it said so. */
  pending: number | null;
  /** The user of the last usage record (for the machines list). */
  lastUser: string | null;
}

export type MapResult = { ok: true; batch: HubBatch } | { ok: false; forbidden: string };

/** Responses older than this are not Claude Code's; newer than a day ahead, a clock gone wrong. */
const EARLIEST_TS = Date.UTC(2020, 0, 1);
const FUTURE_MS = 86_400_000;

class Reject extends Error {}

/** Where a record's fields are read from: its attributes, or those over its resource's (layered). */
type Lookup = Pick<Attrs, 'get'>;

function str(attrs: Lookup, key: string): string | null {
  const v = attrs.get(key);
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new Reject(`${key} is not a string`);
}

/** An integer attribute; Claude Code sends some as strings of digits. */
function count(attrs: Lookup, key: string, required: boolean): number {
  const v = attrs.get(key);
  if (v === undefined || v === null || v === '') {
    if (required) throw new Reject(`missing ${key}`);
    return 0;
  }
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!isPlausibleCount(n)) throw new Reject(`implausible ${key}`);
  return n;
}

function cost(attrs: Lookup, key: string): number | null {
  const v = attrs.get(key);
  if (v === undefined || v === null || v === '') return null;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^[\d.eE+-]+$/.test(v) ? Number(v) : NaN;
  if (!isPlausibleCost(n)) throw new Reject(`implausible ${key}`);
  return n;
}

function flag(attrs: Lookup, key: string): boolean {
  const v = attrs.get(key);
  return v === true || v === 'true' || v === 1;
}

function checkTs(ts: number | null, now: number): number {
  if (ts === null || !Number.isFinite(ts)) throw new Reject('missing timestamp');
  if (ts < EARLIEST_TS || ts > now + FUTURE_MS) throw new Reject('implausible timestamp');
  return Math.trunc(ts);
}

/** A record's attribute, else its resource's (Claude Code puts OTEL_RESOURCE_ATTRIBUTES keys on the resource):
 *  looked up in both, never copied, so a resource of many attributes costs nothing per record. */
function layered(record: Attrs, resource: Attrs): Lookup {
  if (resource.size === 0) return record;
  return { get: (key) => (record.has(key) ? record.get(key) : resource.get(key)) };
}

/** The event a record is: OTLP's event_name, else the body Claude Code writes ("claude_code.api_request"),
 *  else its event.name attribute ("api_request" is Claude Code's). */
function eventOf(record: LogRecordIn): string | null {
  if (record.eventName) return record.eventName;
  if (typeof record.body === 'string' && /^(claude_code|ctm)\.[a-z_]+$/.test(record.body)) return record.body;
  const name = record.attrs.get('event.name');
  if (typeof name !== 'string' || name === '') return null;
  return name.includes('.') ? name : `claude_code.${name}`;
}

/** Whether a record is of a kind the hub counts (the rest are ignored: decoding need not keep them). */
export function isCounted(record: LogRecordIn): boolean {
  const event = eventOf(record);
  return event === USAGE_EVENT || event === SESSION_COST_EVENT || event === TELEMETRY_EVENT;
}

function agentUsage(attrs: Lookup, record: LogRecordIn, user: string, now: number): HubUsage {
  const s = (k: keyof typeof USAGE_STRINGS) => str(attrs, USAGE_STRINGS[k]);
  const key = s('key');
  const messageId = s('messageId');
  const model = s('model');
  const sessionId = s('sessionId');
  const project = s('project');
  if (key === null) throw new Reject(`missing ${USAGE_STRINGS.key}`);
  if (messageId === null) throw new Reject(`missing ${USAGE_STRINGS.messageId}`);
  if (model === null) throw new Reject(`missing ${USAGE_STRINGS.model}`);
  if (sessionId === null) throw new Reject(`missing ${USAGE_STRINGS.sessionId}`);
  if (project === null) throw new Reject(`missing ${USAGE_STRINGS.project}`);
  if (key.startsWith(TELEMETRY_KEY_PREFIX)) throw new Reject(`${USAGE_STRINGS.key} may not start with otel:`);
  const c = (k: keyof typeof USAGE_COUNTS, required = false) => count(attrs, USAGE_COUNTS[k], required);
  return {
    source: 'agent',
    key,
    messageId,
    requestId: s('requestId'),
    advisorOf: s('advisorOf'),
    ts: checkTs(record.timeMs, now),
    model,
    sessionId,
    project,
    cwd: s('cwd'),
    gitBranch: s('gitBranch'),
    version: s('version'),
    isSidechain: flag(attrs, USAGE_FLAGS.isSidechain),
    agentId: s('agentId'),
    serviceTier: s('serviceTier'),
    speed: s('speed'),
    geo: s('geo'),
    input: c('input', true),
    output: c('output', true),
    cacheWrite5m: c('cacheWrite5m'),
    cacheWrite1h: c('cacheWrite1h'),
    cacheRead: c('cacheRead'),
    thinking: c('thinking'),
    webSearchRequests: c('webSearchRequests'),
    webFetchRequests: c('webFetchRequests'),
    costLoggedUsd: cost(attrs, USAGE_LOGGED_COST),
    user,
  };
}

function telemetryUser(attrs: Lookup): string {
  return (
    str(attrs, 'user.email') ??
    str(attrs, 'user.account_uuid') ??
    str(attrs, 'user.account_id') ??
    str(attrs, 'user.id') ??
    ''
  );
}

/** A Claude Code api_request event as a row: no 5m/1h split (all cache writes count as 5m), no project. */
function telemetryUsage(attrs: Lookup, record: LogRecordIn, now: number): HubUsage {
  const model = str(attrs, 'model');
  const sessionId = str(attrs, 'session.id');
  if (model === null) throw new Reject('missing model');
  if (sessionId === null) throw new Reject('missing session.id');
  const stamp = str(attrs, 'event.timestamp');
  const parsed = stamp === null ? NaN : Date.parse(stamp);
  const ts = checkTs(Number.isNaN(parsed) ? (record.timeMs ?? record.observedMs) : parsed, now);
  const requestId = str(attrs, 'request_id');
  const sequence = str(attrs, 'event.sequence');
  const id =
    requestId ??
    str(attrs, 'client_request_id') ??
    (sequence !== null ? `${sessionId}:${sequence}` : `${sessionId}:${ts}:${model}`);
  const key = TELEMETRY_KEY_PREFIX + id;
  const micros = attrs.get('cost_usd_micros');
  const querySource = str(attrs, 'query_source');
  const subsystem = querySource !== null && querySource !== 'repl_main_thread' ? querySource : null;
  return {
    source: 'telemetry',
    key,
    messageId: key,
    requestId,
    advisorOf: null,
    ts,
    model,
    sessionId,
    project: TELEMETRY_PROJECT,
    cwd: null,
    gitBranch: null,
    version: str(attrs, 'app.version'),
    isSidechain: subsystem !== null,
    agentId: subsystem,
    serviceTier: null,
    speed: str(attrs, 'speed') === 'fast' ? 'fast' : null,
    geo: null,
    input: count(attrs, 'input_tokens', true),
    output: count(attrs, 'output_tokens', true),
    cacheWrite5m: count(attrs, 'cache_creation_tokens', false),
    cacheWrite1h: 0,
    cacheRead: count(attrs, 'cache_read_tokens', false),
    thinking: 0,
    webSearchRequests: 0,
    webFetchRequests: 0,
    costLoggedUsd:
      cost(attrs, 'cost_usd') ??
      (micros === undefined || micros === null ? null : count(attrs, 'cost_usd_micros', false) / 1e6),
    user: telemetryUser(attrs),
  };
}

function sessionCost(attrs: Lookup): PushSessionCost {
  const sessionId = str(attrs, SESSION_COST.sessionId);
  if (sessionId === null) throw new Reject(`missing ${SESSION_COST.sessionId}`);
  const total = cost(attrs, SESSION_COST.totalCostUsd);
  if (total === null) throw new Reject(`missing ${SESSION_COST.totalCostUsd}`);
  const modelUsage = str(attrs, SESSION_COST.modelUsage) ?? '{}';
  try {
    const parsed = JSON.parse(modelUsage) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error();
  } catch {
    throw new Reject(`${SESSION_COST.modelUsage} is not a JSON object`);
  }
  return { sessionId, totalCostUsd: total, modelUsageJson: modelUsage };
}

const attrText = (v: AttrValue | undefined): string | null => (typeof v === 'string' ? v : null);

/** A machine name is at most 64 characters: a longer claim is cut there. */
const MAX_CLAIM_CHARS = 64;

/** A claimed machine as a refusal names it (in the answer and the log): a string quoted, at most
 *  MAX_CLAIM_CHARS of it with control characters escaped; any other value by its kind (a key-value list is an
 *  object without a prototype, which String() cannot even convert). */
export function claimText(claimed: AttrValue): string {
  // One character past the limit is enough for terminalSafeLine to see it must cut (and the claim may be MBs).
  if (typeof claimed === 'string')
    return `"${terminalSafeLine(claimed.slice(0, MAX_CLAIM_CHARS + 1), MAX_CLAIM_CHARS)}"`;
  if (typeof claimed === 'number' || typeof claimed === 'boolean') return `${String(claimed)} (not a string)`;
  if (Array.isArray(claimed)) return 'a list (not a string)';
  return 'a key-value list (not a string)';
}

export function mapRecords(
  resources: readonly ResourceLogsIn[],
  machine: string,
  now = Date.now(),
): MapResult {
  const batch: HubBatch = {
    machine,
    usage: [],
    sessionCosts: [],
    ignored: 0,
    rejected: new Map(),
    pending: null,
    lastUser: null,
  };
  for (const resource of resources) {
    const claimed = resource.attrs.get(RESOURCE.machine);
    if (claimed !== undefined && claimed !== null && claimed !== machine) {
      return {
        ok: false,
        forbidden: `this token belongs to machine "${machine}"; records of ${RESOURCE.machine}=${claimText(claimed)} are refused`,
      };
    }
  }
  for (const resource of resources) {
    const agentUser = attrText(resource.attrs.get(RESOURCE.user)) ?? '';
    const pending = resource.attrs.get(RESOURCE.pending);
    if (typeof pending === 'number' && Number.isSafeInteger(pending) && pending >= 0) batch.pending = pending;
    batch.ignored += resource.skipped;
    for (const record of resource.records) {
      const event = eventOf(record);
      try {
        if (event === USAGE_EVENT) {
          const row = agentUsage(record.attrs, record, agentUser, now);
          batch.usage.push(row);
          batch.lastUser = row.user;
        } else if (event === SESSION_COST_EVENT) batch.sessionCosts.push(sessionCost(record.attrs));
        else if (event === TELEMETRY_EVENT) {
          const row = telemetryUsage(layered(record.attrs, resource.attrs), record, now);
          batch.usage.push(row);
          batch.lastUser = row.user;
        } else batch.ignored++;
      } catch (error) {
        if (!(error instanceof Reject)) throw error;
        const reason = `${event}: ${error.message}`;
        batch.rejected.set(reason, (batch.rejected.get(reason) ?? 0) + 1);
      }
    }
  }
  return { ok: true, batch };
}

/** The partial-success message: each reason with its count, the most frequent first. */
export function rejectionMessage(rejected: Map<string, number>): string {
  return [...rejected]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([reason, n]) => `${n} × ${reason}`)
    .join('; ');
}
