// Writes a hub batch (one OTLP request of one machine) into the index in one transaction, keeping usage_daily
// in step, so a request either counts entirely or not at all and a hub killed at any moment loses nothing an
// agent was told was accepted. One response counts once, however many times and ways it arrives:
// - a ctm agent's row is keyed by message id, as the local ingest keys it. A copy from another machine (a
//   session copied between machines) folds by the ingest's rule — a main-thread copy beats a sidechain
//   replay, then the larger total, then the one carrying speed — and on a tie by the machine name that sorts
//   first, so the result does not depend on which machine sent first. A row from the machine that sent the
//   stored one replaces it (it is that agent's current copy) unless it is the same.
// - Claude Code's telemetry has no message id: it is matched to an agent's row by request id, or, where one
//   side has none, by the response's token fingerprint in its session (hub_aliases). An agent's row always
//   wins over telemetry of the same request (it has the 5m/1h split, the project, the message id).
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

const total = (
  r: Pick<HubUsage, 'input' | 'output' | 'cacheWrite5m' | 'cacheWrite1h' | 'cacheRead'>,
): number => r.input + r.output + r.cacheWrite5m + r.cacheWrite1h + r.cacheRead;

/** The alias of a response's tokens within its session, for matching telemetry to transcript rows. */
export function fingerprint(
  r: Pick<HubUsage, 'sessionId' | 'input' | 'output' | 'cacheRead' | 'cacheWrite5m' | 'cacheWrite1h'>,
): string {
  return `f:${r.sessionId}|${r.input}|${r.output}|${r.cacheRead}|${r.cacheWrite5m + r.cacheWrite1h}`;
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
    '?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?';
  const insertNew = db.prepare(`INSERT OR IGNORE INTO messages (${columns}) VALUES (${values})`);
  const replace = db.prepare(`INSERT OR REPLACE INTO messages (${columns}) VALUES (${values})`);
  const deleteRow = db.prepare(`DELETE FROM messages WHERE key = ? RETURNING ${STORED_COLUMNS}`);
  const deleteAdvisors = db.prepare(`DELETE FROM messages WHERE advisor_of = ? RETURNING ${STORED_COLUMNS}`);
  const parentMachine = db.prepare('SELECT machine FROM messages WHERE key = ?').pluck();
  const aliasOf = db.prepare('SELECT key FROM hub_aliases WHERE alias = ?').pluck();
  const setAlias = db.prepare('INSERT OR REPLACE INTO hub_aliases (alias, key) VALUES (?, ?)');
  const addAlias = db.prepare('INSERT OR IGNORE INTO hub_aliases (alias, key) VALUES (?, ?)');
  const anyTelemetry = db.prepare(
    `SELECT 1 FROM messages WHERE key >= '${TELEMETRY_KEY_PREFIX}' AND key < 'otel;' LIMIT 1`,
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

    const arrive = (r: HubUsage, statement: typeof replace): boolean => {
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
        machine,
        r.user,
      );
      if (info.changes === 0) return false;
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
    const remove = (key: string): void => {
      const s = deleteRow.get(key) as Stored | undefined;
      if (s) leave(s);
    };
    const removeAdvisors = (key: string): void => {
      for (const s of deleteAdvisors.all(key) as Stored[]) leave(s);
    };
    /** The stored row an alias names, if it is still there. */
    const aliased = (alias: string): Stored | undefined => {
      const key = aliasOf.get(alias) as string | undefined;
      return key === undefined ? undefined : (selectStored.get(key) as Stored | undefined);
    };
    /** The stored row counting the same request as r under another key, if any. */
    const sameRequest = (r: HubUsage): Stored | undefined => {
      if (r.requestId !== null) {
        const byId = aliased(`r:${r.requestId}`);
        if (byId && byId.key !== r.key) return byId;
      }
      const byTokens = aliased(fingerprint(r));
      if (!byTokens || byTokens.key === r.key) return undefined;
      // Two different request ids are two requests, whatever their tokens.
      if (r.requestId !== null && byTokens.requestId !== null && r.requestId !== byTokens.requestId)
        return undefined;
      return byTokens;
    };

    const telemetry = (r: HubUsage): void => {
      if (sameRequest(r) || !arrive(r, insertNew)) {
        result.duplicates++;
        return;
      }
      telemetryStored = true;
      result.accepted++;
      if (r.requestId !== null) addAlias.run(`r:${r.requestId}`, r.key);
      addAlias.run(fingerprint(r), r.key);
    };

    const response = (r: HubUsage): void => {
      const aliases = (): void => {
        if (r.requestId !== null) setAlias.run(`r:${r.requestId}`, r.key);
        else setAlias.run(fingerprint(r), r.key);
      };
      if (arrive(r, insertNew)) {
        result.accepted++;
        if (telemetryStored) {
          const twin = sameRequest(r);
          if (twin && twin.key.startsWith(TELEMETRY_KEY_PREFIX)) {
            remove(twin.key);
            result.replaced++;
          }
        }
        aliases();
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
