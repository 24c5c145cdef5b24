// Token and cost sums per session and model, with the session's project, last activity and span. A session's
// models come in the order it first used them (its modelsUsed, and its breakdowns of equal cost), as ccusage
// lists them: it reads a session's lines in file order, which is time order.
import type { Db } from '../open.ts';
import { sumColumns, type Sums } from '../sum-columns.ts';
import { usageSql, type UsageFilter } from './usage-by-period.ts';

export interface SessionModelRow extends Sums {
  sessionId: string;
  project: string;
  model: string;
  firstTs: number;
  lastTs: number;
  lastDay: string;
  webSearchRequests: number;
}

export function usageBySession(db: Db, filter: UsageFilter): SessionModelRow[] {
  const q = usageSql(db, filter);
  return db
    .prepare(
      `SELECT session_id AS sessionId, max(project) AS project, model, min(ts) AS firstTs, max(ts) AS lastTs,
              max(${q.day}) AS lastDay, ${sumColumns(q.cost)}
       FROM usage ${q.where}
       GROUP BY session_id, model
       ORDER BY session_id, firstTs, model`,
    )
    .all(q.params) as SessionModelRow[];
}
