// Writes a hub batch (one OTLP request of one machine) into the index in one transaction, keeping usage_daily
// in step, so a request either counts entirely or not at all and a hub killed at any moment loses nothing an
// agent was told was accepted. One response counts once, however many times and ways it arrives:
// - a ctm agent's row is keyed by message id, as the local ingest keys it. A copy from another machine (a
//   session copied between machines) folds by the ingest's rule — a main-thread copy beats a sidechain
//   replay, then the larger total, then the one carrying speed — and on a tie by the machine name that sorts
//   first, so the result does not depend on which machine sent first. A row from the machine that sent the
//   stored one replaces it (it is that agent's current copy) unless it is the same.
// - Claude Code's telemetry has no message id: an event is keyed by what identifies it (hub-records.ts), so a
//   resent event is a duplicate by its key, and telemetry is never matched with other telemetry. An event
//   counts unless an agent's row is its twin (twins below); then it is kept superseded (stored, not counted),
//   and counts again should that row be replaced by a copy that is no twin of it. Whether a telemetry row
//   counts thus depends on the agent rows stored, not on which of them came first.
// - An advisor row belongs to its response's counted copy: one from another machine than that copy's is a
//   duplicate; the stored copy's advisor rows leave when another copy replaces it.
import { ChangeSet } from '../db/change-set.ts';
import type { Db } from '../db/open.ts';
import type { PriceTable } from '../pricing/pricing-schema.ts';
import { requestCost } from '../pricing/request-cost.ts';
import { makeLocalTime } from '../time/local-time.ts';
import { createDailyRollup, type RollupRow } from '../../ingest/daily-rollup.ts';
import type { PushRow } from '../db/queries/push-rows.ts';
import { TELEMETRY_KEY_PREFIX, type HubBatch, type HubUsage } from './hub-records.ts';

export interface HubWriteResult {
  accepted: number;
  duplicates: number;
  replaced: number;
  changes: ChangeSet;
}

/** A stored row as the hub compares it with one arriving: its rollup fields and every field an agent sends. */
interface Stored extends RollupRow, Omit<PushRow, 'rowid' | 'costLoggedUsd'> {
  hour: number;
  machine: string;
  userName: string;
}

const STORED_COLUMNS = `key, day, hour, model, project, session_id AS sessionId, machine, user_name AS userName,
  message_id AS messageId, request_id AS requestId, advisor_of AS advisorOf, ts, cwd, git_branch AS gitBranch,
  version, is_sidechain AS isSidechain, agent_id AS agentId, service_tier AS serviceTier, speed,
  inference_geo AS geo, input_tokens AS input, output_tokens AS output, cache_write_5m_tokens AS cacheWrite5m,
  cache_write_1h_tokens AS cacheWrite1h, cache_read_tokens AS cacheRead, total_tokens AS totalTokens,
  thinking_tokens AS thinking, web_search_requests AS webSearchRequests, web_fetch_requests AS webFetchRequests,
  cost_logged_usd AS costLogged, cost_calc_usd AS costCalc`;

const IS_TELEMETRY = `key >= '${TELEMETRY_KEY_PREFIX}' AND key < 'otel;'`;
const isTelemetry = (key: string): boolean => key.startsWith(TELEMETRY_KEY_PREFIX);

const total = (
  r: Pick<HubUsage, 'input' | 'output' | 'cacheWrite5m' | 'cacheWrite1h' | 'cacheRead'>,
): number => r.input + r.output + r.cacheWrite5m + r.cacheWrite1h + r.cacheRead;

/** How far apart a telemetry event and its transcript row may be stamped: the transcript stamps a response as
 *  it streams, Claude Code logs the event once it has ended, and a long response streams for minutes. */
export const TWIN_WINDOW_MS = 15 * 60_000;

type Twinable = Pick<
  HubUsage,
  'sessionId' | 'ts' | 'requestId' | 'input' | 'output' | 'cacheRead' | 'cacheWrite5m' | 'cacheWrite1h'
>;

/** Whether an agent's row and a telemetry row are one response: the same request id, or where either lacks
 *  one, the same tokens in the same session within TWIN_WINDOW_MS (telemetry has no 5m/1h split). */
export function twins(agent: Twinable, telemetry: Twinable): boolean {
  if (agent.requestId !== null && telemetry.requestId !== null)
    return agent.requestId === telemetry.requestId;
  return (
    agent.sessionId === telemetry.sessionId &&
    Math.abs(agent.ts - telemetry.ts) <= TWIN_WINDOW_MS &&
    agent.input === telemetry.input &&
    agent.output === telemetry.output &&
    agent.cacheRead === telemetry.cacheRead &&
    agent.cacheWrite5m + agent.cacheWrite1h === telemetry.cacheWrite5m + telemetry.cacheWrite1h
  );
}

/** The ingest's fold rule between two copies of a response, then the machine name that sorts first. */
function wins(a: HubUsage & { machine: string }, b: Stored): boolean {
  const aSide = a.isSidechain;
  const bSide = b.isSidechain === 1;
  if (aSide !== bSide) return !aSide;
  const ta = total(a);
  if (ta !== b.totalTokens) return ta > b.totalTokens;
  if ((a.speed !== null) !== (b.speed !== null)) return a.speed !== null;
  return a.machine < b.machine;
}

/** Whether a row from the stored row's own machine says nothing new. */
function same(r: HubUsage, s: Stored, costCalc: number | null): boolean {
  return (
    r.ts === s.ts &&
    r.model === s.model &&
    r.sessionId === s.sessionId &&
    r.project === s.project &&
    r.user === s.userName &&
    r.requestId === s.requestId &&
    r.advisorOf === s.advisorOf &&
    r.cwd === s.cwd &&
    r.gitBranch === s.gitBranch &&
    r.version === s.version &&
    (r.isSidechain ? 1 : 0) === s.isSidechain &&
    r.agentId === s.agentId &&
    r.serviceTier === s.serviceTier &&
    r.speed === s.speed &&
    r.geo === s.geo &&
    r.input === s.input &&
    r.output === s.output &&
    r.cacheWrite5m === s.cacheWrite5m &&
    r.cacheWrite1h === s.cacheWrite1h &&
    r.cacheRead === s.cacheRead &&
    r.thinking === s.thinking &&
    r.webSearchRequests === s.webSearchRequests &&
    r.webFetchRequests === s.webFetchRequests &&
    r.costLoggedUsd === s.costLogged &&
    costCalc === s.costCalc
  );
}

export function createHubStore(db: Db, options: { timezone: string; pricing: PriceTable }) {
  const localTime = makeLocalTime(options.timezone);
  const beginRollup = createDailyRollup(db);

  const fileOf = db.prepare(
    `INSERT INTO files (path, claude_dir, project, updated_at) VALUES (?, 'hub', '', ?)
     ON CONFLICT (path) DO UPDATE SET updated_at = excluded.updated_at RETURNING id`,
  );
  const selectStored = db.prepare(`SELECT ${STORED_COLUMNS} FROM messages WHERE key = ?`);
  const columns = `key, message_id, request_id, file_id, line_no, ts, day, hour, model, session_id, project, cwd,
    git_branch, version, is_sidechain, agent_id, service_tier, speed, inference_geo, input_tokens, output_tokens,
    cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, total_tokens, thinking_tokens,
    web_search_requests, web_fetch_requests, cost_logged_usd, cost_calc_usd, advisor_of, superseded, machine,
    user_name`;
  const values =
    '?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?';
  const insertNew = db.prepare(`INSERT OR IGNORE INTO messages (${columns}) VALUES (${values})`);
  const replace = db.prepare(`INSERT OR REPLACE INTO messages (${columns}) VALUES (${values})`);
  const deleteAdvisors = db.prepare(`DELETE FROM messages WHERE advisor_of = ? RETURNING ${STORED_COLUMNS}`);
  const parentMachine = db.prepare('SELECT machine FROM messages WHERE key = ?').pluck();
  const exists = db.prepare('SELECT 1 FROM messages WHERE key = ?').pluck();
  const aliasOf = db.prepare('SELECT key FROM hub_aliases WHERE alias = ?').pluck();
  const setAlias = db.prepare('INSERT OR REPLACE INTO hub_aliases (alias, key) VALUES (?, ?)');
  const anyTelemetry = db.prepare(`SELECT 1 FROM messages WHERE ${IS_TELEMETRY} LIMIT 1`);
  const sameTokens = `input_tokens = ? AND output_tokens = ? AND cache_read_tokens = ?
    AND cache_write_5m_tokens + cache_write_1h_tokens = ?`;
  // Telemetry arrives as responses are made (it has no history to catch up on): a scan of the session's rows
  // near its time is cheap. Agents send their whole history: messages_telemetry (migration 017) holds
  // telemetry rows only, so an agent's row costs one lookup, an empty one unless its session has telemetry.
  const agentRowsNear = db.prepare(
    `SELECT ${STORED_COLUMNS} FROM messages
     WHERE session_id = ? AND superseded = 0 AND ts BETWEEN ? AND ? AND NOT (${IS_TELEMETRY})
       AND advisor_of IS NULL AND ${sameTokens}`,
  );
  const telemetryRowsNear = db.prepare(
    `SELECT ${STORED_COLUMNS} FROM messages
     WHERE ${IS_TELEMETRY} AND session_id = ? AND ts BETWEEN ? AND ? AND ${sameTokens}`,
  );
  const supersede = db.prepare(
    `UPDATE messages SET superseded = 1 WHERE key = ? AND superseded = 0 RETURNING ${STORED_COLUMNS}`,
  );
  const restore = db.prepare(
    `UPDATE messages SET superseded = 0 WHERE key = ? AND superseded = 1 RETURNING ${STORED_COLUMNS}`,
  );
  const upsertSessionCost = db.prepare(
    `INSERT INTO session_costs (session_id, file_id, line_no, total_cost_usd, model_usage_json) VALUES (?, ?, 0, ?, ?)
     ON CONFLICT (session_id) DO UPDATE SET file_id = excluded.file_id, line_no = 0,
       total_cost_usd = excluded.total_cost_usd, model_usage_json = excluded.model_usage_json
     WHERE excluded.total_cost_usd >= session_costs.total_cost_usd`,
  );
  const seen = db.prepare(
    `INSERT INTO hub_machines (machine, first_seen_at, last_seen_at, newest_ts, pending, accepted, duplicates,
       rejected, last_user)
     VALUES (@machine, @now, @now, @newest, @pending, @accepted, @duplicates, @rejected, @lastUser)
     ON CONFLICT (machine) DO UPDATE SET last_seen_at = @now,
       newest_ts = max(coalesce(newest_ts, @newest), coalesce(@newest, newest_ts)),
       pending = coalesce(@pending, pending), accepted = accepted + @accepted,
       duplicates = duplicates + @duplicates, rejected = rejected + @rejected,
       last_user = coalesce(@lastUser, last_user)`,
  );
  let telemetryStored = anyTelemetry.get() !== undefined;
  const files = new Map<string, number>();

  function write(batch: HubBatch, now = Date.now()): HubWriteResult {
    const result: HubWriteResult = { accepted: 0, duplicates: 0, replaced: 0, changes: new ChangeSet() };
    const { changes } = result;
    const rollup = beginRollup();
    const machine = batch.machine;
    const fileId = (fileOf.get(`hub:${machine}`, now) as { id: number }).id;
    files.set(machine, fileId);

    /** Stores r (counted unless told otherwise) and, when counted, adds it to the rollup. */
    const arrive = (r: HubUsage, statement: typeof replace, counted = true): boolean => {
      const { day, hour } = localTime(r.ts);
      const costCalc = requestCost(options.pricing, r);
      const info = statement.run(
        r.key,
        r.messageId,
        r.requestId,
        fileId,
        r.ts,
        day,
        hour,
        r.model,
        r.sessionId,
        r.project,
        r.cwd,
        r.gitBranch,
        r.version,
        r.isSidechain ? 1 : 0,
        r.agentId,
        r.serviceTier,
        r.speed,
        r.geo,
        r.input,
        r.output,
        r.cacheWrite5m,
        r.cacheWrite1h,
        r.cacheRead,
        total(r),
        r.thinking,
        r.webSearchRequests,
        r.webFetchRequests,
        r.costLoggedUsd,
        costCalc,
        r.advisorOf,
        counted ? 0 : 1,
        machine,
        r.user,
      );
      if (info.changes === 0 || !counted) return info.changes > 0;
      changes.add(day, hour, r.sessionId, r.project, r.model);
      rollup.add(
        {
          day,
          model: r.model,
          project: r.project,
          input: r.input,
          output: r.output,
          cacheWrite5m: r.cacheWrite5m,
          cacheWrite1h: r.cacheWrite1h,
          cacheRead: r.cacheRead,
          totalTokens: total(r),
          webSearchRequests: r.webSearchRequests,
          costLogged: r.costLoggedUsd,
          costCalc,
          sessionId: r.sessionId,
          ts: r.ts,
          cwd: r.cwd,
          machine,
          userName: r.user,
        },
        1,
      );
      return true;
    };
    const leave = (s: Stored): void => {
      changes.add(s.day, s.hour, s.sessionId, s.project, s.model);
      rollup.add(s, -1);
    };
    const enter = (s: Stored): void => {
      changes.add(s.day, s.hour, s.sessionId, s.project, s.model);
      rollup.add(s, 1);
    };
    const removeAdvisors = (key: string): void => {
      for (const s of deleteAdvisors.all(key) as Stored[]) leave(s);
    };
    const near = (r: Twinable): unknown[] => [
      r.sessionId,
      r.ts - TWIN_WINDOW_MS,
      r.ts + TWIN_WINDOW_MS,
      r.input,
      r.output,
      r.cacheRead,
      r.cacheWrite5m + r.cacheWrite1h,
    ];
    /** Whether an agent's row stored now is a twin of telemetry row t. */
    const hasAgentTwin = (t: Twinable): boolean => {
      if (t.requestId !== null) {
        // The request id's row, unless its copy stored now has another id (a replay replaced by its parent).
        const key = aliasOf.get(`r:${t.requestId}`) as string | undefined;
        const byId = key === undefined ? undefined : (selectStored.get(key) as Stored | undefined);
        if (byId && !isTelemetry(byId.key) && byId.advisorOf === null && twins(byId, t)) return true;
      }
      return (agentRowsNear.all(...near(t)) as Stored[]).some((a) => twins(a, t));
    };
    /** The telemetry rows, counted or not, of which agent row a is a twin. */
    const telemetryTwins = (a: Twinable): Stored[] => {
      const found = (telemetryRowsNear.all(...near(a)) as Stored[]).filter((t) => twins(a, t));
      if (a.requestId !== null) {
        // An event with a request id is keyed by it, wherever in time it is.
        const byId = selectStored.get(TELEMETRY_KEY_PREFIX + a.requestId) as Stored | undefined;
        if (byId && twins(a, byId) && !found.some((t) => t.key === byId.key)) found.push(byId);
      }
      return found;
    };
    /** Agent row a has arrived: the telemetry rows it is a twin of stop counting. */
    const absorb = (a: Twinable): void => {
      for (const t of telemetryTwins(a)) {
        const s = supersede.get(t.key) as Stored | undefined;
        if (!s) continue;
        leave(s);
        result.replaced++;
      }
    };
    /** Agent row a's stored copy has been replaced: the telemetry rows it was a twin of count again unless
     *  another row stored now (the new copy, say) is a twin of them too. */
    const release = (a: Twinable): void => {
      for (const t of telemetryTwins(a)) {
        if (hasAgentTwin(t)) continue;
        const s = restore.get(t.key) as Stored | undefined;
        if (s) enter(s);
      }
    };

    const telemetry = (r: HubUsage): void => {
      // A key stored is this very event again (an OTLP retry, a collector's replay), counted or superseded.
      if (exists.get(r.key) !== undefined) {
        result.duplicates++;
        return;
      }
      const twin = hasAgentTwin(r);
      arrive(r, insertNew, !twin);
      telemetryStored = true;
      if (twin) result.duplicates++;
      else result.accepted++;
    };

    const response = (r: HubUsage): void => {
      const aliases = (): void => {
        if (r.requestId !== null) setAlias.run(`r:${r.requestId}`, r.key);
      };
      if (arrive(r, insertNew)) {
        result.accepted++;
        aliases();
        if (telemetryStored) absorb(r);
        return;
      }
      const stored = selectStored.get(r.key) as Stored;
      const costCalc = requestCost(options.pricing, r);
      const replaces =
        stored.machine === machine ? !same(r, stored, costCalc) : wins({ ...r, machine }, stored);
      if (!replaces) {
        result.duplicates++;
        return;
      }
      removeAdvisors(r.key);
      leave(stored);
      arrive(r, replace);
      aliases();
      result.accepted++;
      result.replaced++;
      if (telemetryStored) {
        absorb(r);
        release(stored);
      }
    };

    const advisor = (r: HubUsage): void => {
      const parent = parentMachine.get(r.advisorOf) as string | undefined;
      if (parent !== undefined && parent !== machine) {
        result.duplicates++;
        return;
      }
      if (arrive(r, insertNew)) {
        result.accepted++;
        return;
      }
      const stored = selectStored.get(r.key) as Stored;
      if (stored.machine === machine && same(r, stored, requestCost(options.pricing, r))) {
        result.duplicates++;
        return;
      }
      leave(stored);
      arrive(r, replace);
      result.accepted++;
      result.replaced++;
    };

    db.transaction(() => {
      // Responses before advisor rows: an advisor row is judged by the copy of its response that counts.
      for (const r of batch.usage) {
        if (r.source === 'telemetry') telemetry(r);
        else if (r.advisorOf === null) response(r);
      }
      for (const r of batch.usage) if (r.source === 'agent' && r.advisorOf !== null) advisor(r);
      for (const c of batch.sessionCosts) {
        if (upsertSessionCost.run(c.sessionId, fileId, c.totalCostUsd, c.modelUsageJson).changes > 0)
          changes.sessions.add(c.sessionId);
      }
      rollup.apply();
      let newest: number | null = null;
      for (const r of batch.usage) if (newest === null || r.ts > newest) newest = r.ts;
      let rejected = 0;
      for (const n of batch.rejected.values()) rejected += n;
      seen.run({
        machine,
        now,
        newest,
        pending: batch.pending,
        accepted: result.accepted,
        duplicates: result.duplicates,
        rejected,
        lastUser: batch.lastUser,
      });
    })();
    return result;
  }

  return { write };
}

export type HubStore = ReturnType<typeof createHubStore>;
