// Sends what the local index holds beyond its cursor to a hub: the whole history on the first run, then every
// new and updated row, in batches of CTM_PUSH_BATCH, each accepted batch moving the cursor. The index is the
// queue: nothing is held in memory between batches, so a hub down for a day, a cut link or a restart of either
// side loses nothing (an unanswered batch is sent again, and the hub counts a row sent twice once). Transient
// failures are retried with capped exponential backoff and jitter; a refusal (bad token, another machine's
// name) stops the cycle with PushRefused.
import type { Db } from '../db/open.ts';
import { pushBacklog, pushRows } from '../db/queries/push-rows.ts';
import { changedSessionCosts } from '../db/queries/push-session-costs.ts';
import type { Logger } from '../log.ts';
import { backoffMs } from './backoff.ts';
import { logsEndpoint, postLogs, type PostOutcome } from './push-client.ts';
import { advanceCursor, markSessionCostsSent, recordPushError, startCycle } from './push-cursor.ts';
import { usageLogsRequest, type Identity } from './usage-log-records.ts';

export class PushRefused extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** The hub stayed unreachable for every attempt a one-shot push allows. */
export class PushUnavailable extends Error {}

export interface PushOptions {
  db: Db;
  /** The hub's OTLP base URL; requests go to <url>/v1/logs. */
  url: string;
  token: string;
  identity: Identity;
  batch: number;
  log: Logger;
  signal?: AbortSignal;
  /** Attempts per request before PushUnavailable (a one-shot push); unlimited by default. */
  maxAttempts?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface PushResult {
  sent: number;
  requests: number;
  rejected: number;
  sessionCosts: number;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function pushPending(o: PushOptions): Promise<PushResult> {
  const endpoint = logsEndpoint(o.url);
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? abortableSleep;
  const maxAttempts = o.maxAttempts ?? Infinity;
  const result: PushResult = { sent: 0, requests: 0, rejected: 0, sessionCosts: 0 };
  let failing = false;

  /** One request, sent again until it is answered with something other than "try later". */
  const send = async (body: string): Promise<Exclude<PostOutcome, { kind: 'retry' }> | null> => {
    for (let attempt = 0; ; attempt++) {
      if (o.signal?.aborted) return null;
      const outcome = await postLogs(endpoint, o.token, body);
      result.requests++;
      if (outcome.kind !== 'retry') {
        if (failing) o.log.info('hub reachable again', { url: endpoint });
        failing = false;
        return outcome;
      }
      if (!failing) {
        o.log.warn('hub not reachable; retrying with backoff', { url: endpoint, reason: outcome.reason });
        recordPushError(o.db, endpoint, outcome.reason);
      }
      failing = true;
      if (attempt + 1 >= maxAttempts) throw new PushUnavailable(`${endpoint}: ${outcome.reason}`);
      await sleep(backoffMs(attempt, outcome.retryAfterMs, undefined, o.random), o.signal);
    }
  };
  const refused = (outcome: { status: number; reason: string }): never => {
    recordPushError(o.db, endpoint, outcome.reason);
    throw new PushRefused(outcome.status, `${endpoint} refused the records: ${outcome.reason}`);
  };
  const accepted = (outcome: { rejected: number; message: string }): void => {
    if (outcome.rejected > 0) {
      result.rejected += outcome.rejected;
      o.log.warn('hub rejected records', { rejected: outcome.rejected, why: outcome.message });
    }
  };

  let cursor = startCycle(o.db, endpoint);
  // Counted once per cycle (a range scan of the backlog), then kept by subtraction.
  let backlog = pushBacklog(o.db, cursor);
  let size = o.batch;
  while (!o.signal?.aborted) {
    const rows = pushRows(o.db, cursor, size);
    if (rows.length === 0) break;
    backlog = Math.max(backlog, rows.length);
    const outcome = await send(usageLogsRequest(rows, [], o.identity, backlog - rows.length, now()));
    if (outcome === null) break;
    if (outcome.kind === 'too-large') {
      if (size > 1) {
        size = Math.ceil(size / 2);
        continue;
      }
      o.log.error('hub refuses a single record as too large; skipping it', { key: rows[0]!.key });
      cursor = rows[0]!.rowid;
      advanceCursor(o.db, endpoint, cursor, 0, now());
      continue;
    }
    if (outcome.kind === 'refused') refused(outcome);
    else accepted(outcome);
    cursor = rows.at(-1)!.rowid;
    advanceCursor(o.db, endpoint, cursor, rows.length, now());
    result.sent += rows.length;
    backlog -= rows.length;
    size = Math.min(o.batch, size * 2);
  }

  const costs = o.signal?.aborted ? [] : changedSessionCosts(o.db, endpoint);
  for (let i = 0; i < costs.length; i += o.batch) {
    const chunk = costs.slice(i, i + o.batch);
    const outcome = await send(usageLogsRequest([], chunk, o.identity, 0, now()));
    if (outcome === null) break;
    if (outcome.kind === 'refused') refused(outcome);
    if (outcome.kind === 'too-large') {
      o.log.error('hub refuses session costs as too large', { sessions: chunk.length });
      continue;
    }
    if (outcome.kind === 'accepted') accepted(outcome);
    markSessionCostsSent(o.db, endpoint, chunk);
    result.sessionCosts += chunk.length;
  }
  return result;
}
