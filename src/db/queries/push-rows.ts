// The rows an agent sends its hub: this machine's counted rows after a rowid, in rowid order (new and updated
// rows come last: INSERT OR REPLACE gives a row a rowid above all others), with every field the index holds.
// Rows a hub received from other machines are never sent on.
import type { Db } from '../open.ts';

export interface PushRow {
  rowid: number;
  key: string;
  messageId: string;
  requestId: string | null;
  advisorOf: string | null;
  ts: number;
  model: string;
  sessionId: string;
  project: string;
  cwd: string | null;
  gitBranch: string | null;
  version: string | null;
  isSidechain: number;
  agentId: string | null;
  serviceTier: string | null;
  speed: string | null;
  geo: string | null;
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  thinking: number;
  webSearchRequests: number;
  webFetchRequests: number;
  costLoggedUsd: number | null;
}

export function pushRows(db: Db, afterRowid: number, limit: number): PushRow[] {
  return db
    .prepare(
      `SELECT rowid, key, message_id AS messageId, request_id AS requestId, advisor_of AS advisorOf, ts, model,
         session_id AS sessionId, project, cwd, git_branch AS gitBranch, version, is_sidechain AS isSidechain,
         agent_id AS agentId, service_tier AS serviceTier, speed, inference_geo AS geo, input_tokens AS input,
         output_tokens AS output, cache_write_5m_tokens AS cacheWrite5m, cache_write_1h_tokens AS cacheWrite1h,
         cache_read_tokens AS cacheRead, thinking_tokens AS thinking, web_search_requests AS webSearchRequests,
         web_fetch_requests AS webFetchRequests, cost_logged_usd AS costLoggedUsd
       FROM messages WHERE rowid > ? AND machine = '' AND superseded = 0
       ORDER BY rowid LIMIT ?`,
    )
    .all(afterRowid, limit) as PushRow[];
}

/** How many of this machine's counted rows lie after a rowid (the agent's backlog). */
export function pushBacklog(db: Db, afterRowid: number): number {
  return db
    .prepare(`SELECT count(*) FROM messages WHERE rowid > ? AND machine = '' AND superseded = 0`)
    .pluck()
    .get(afterRowid) as number;
}
