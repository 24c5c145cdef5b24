// Sums grouped by model, project or subagent ('' = the main thread) for a filter, biggest cost first: the "by
// model" / "by project" tables and the project and model listings. A project's label is a working directory from
// its messages (the first or the latest).
import type { Db } from '../open.ts';
import { prepareCached } from './prepare-cached.ts';
import { messagesSql, siteSql, type SiteFilter, type Sums } from './site-filter.ts';

export interface BreakdownRow extends Sums {
  key: string;
  /** A cwd of the project (first or latest); the model id for models. */
  label: string;
  sessions: number;
  firstDay: string;
  lastDay: string;
  lastTs: number;
}

export function usageBreakdown(db: Db, by: 'model' | 'project' | 'agent', f: SiteFilter): BreakdownRow[] {
  // Subagents are not in usage_daily: those breakdowns read the messages.
  const q = by === 'agent' ? messagesSql(db, f) : siteSql(db, f);
  const column = by === 'agent' ? "coalesce(agent_id, '')" : by;
  const label = by === 'project' ? q.label : column;
  // SQLite takes a bare column from a row holding one of the min()/max() values: a real cwd of the project.
  return prepareCached(
    db,
    `SELECT ${column} AS key, ${q.lastTs} AS lastTs, ${label} AS label, ${q.sums},
              count(DISTINCT session_id) AS sessions, min(${q.day}) AS firstDay, max(${q.day}) AS lastDay
       FROM ${q.from} ${q.where}
       GROUP BY 1
       ORDER BY cost DESC, totalTokens DESC, key`,
  ).all(q.params) as BreakdownRow[];
}
