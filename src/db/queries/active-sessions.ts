// Sessions with a counted message since a given instant, most recently active first: the "current sessions"
// of the live API. The cwd shown is the latest one the session reported.
// The window is materialised first so the planner reads it by time, not whole sessions by id.
import type { Db } from '../open.ts';
import { costExpr, type CostMode } from '../day-bucket.ts';

export interface ActiveSessionRow {
  sessionId: string;
  project: string;
  cwd: string | null;
  firstTs: number;
  lastTs: number;
  messages: number;
  totalTokens: number;
  cost: number;
  models: string;
}

export function activeSessions(db: Db, sinceTs: number, costMode: CostMode, limit = 10): ActiveSessionRow[] {
  return db
    .prepare(
      `WITH recent AS MATERIALIZED (SELECT * FROM usage WHERE ts >= ?)
       SELECT session_id AS sessionId, max(project) AS project,
              (SELECT r2.cwd FROM recent r2 WHERE r2.session_id = r.session_id ORDER BY r2.ts DESC LIMIT 1) AS cwd,
              min(ts) AS firstTs, max(ts) AS lastTs, count(*) AS messages, sum(total_tokens) AS totalTokens,
              round(coalesce(sum(${costExpr(costMode)}), 0), 6) AS cost, group_concat(DISTINCT model) AS models
       FROM recent r GROUP BY session_id ORDER BY lastTs DESC LIMIT ?`,
    )
    .all(sinceTs, limit) as ActiveSessionRow[];
}
