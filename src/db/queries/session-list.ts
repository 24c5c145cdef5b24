// Sessions with their sums and metadata (span, models, subagents, branch, Claude Code version), newest first.
// `ids` restricts the list to given sessions (the listing's month pages and the most recent sessions).
import type { Db } from '../open.ts';
import { prepareCached } from './prepare-cached.ts';
import { messagesSql, sumColumns, type SiteFilter, type Sums } from './site-filter.ts';

export interface SessionListRow extends Sums {
  sessionId: string;
  project: string;
  cwd: string;
  firstTs: number;
  lastTs: number;
  firstDay: string;
  lastDay: string;
  models: string;
  subagents: number;
  gitBranch: string | null;
  version: string | null;
}

export interface SessionListOptions {
  ids?: readonly string[] | undefined;
}

export function sessionList(db: Db, f: SiteFilter, o: SessionListOptions = {}): SessionListRow[] {
  const q = messagesSql(db, f);
  let where = q.where;
  let params: Record<string, string> = q.params;
  if (o.ids) {
    const clause = 'session_id IN (SELECT value FROM json_each(@ids))';
    where = where ? `${where} AND ${clause}` : `WHERE ${clause}`;
    params = { ...params, ids: JSON.stringify(o.ids) };
  }
  return prepareCached(
    db,
    `SELECT session_id AS sessionId, max(ts) AS lastTs, project, coalesce(cwd, project) AS cwd,
              git_branch AS gitBranch, version, min(ts) AS firstTs, min(${q.day}) AS firstDay, max(${q.day}) AS lastDay,
              ${sumColumns(q.cost)}, group_concat(DISTINCT model) AS models, count(DISTINCT agent_id) AS subagents
       FROM usage ${where}
       GROUP BY session_id
       ORDER BY lastTs DESC, sessionId`,
  ).all(params) as SessionListRow[];
}
