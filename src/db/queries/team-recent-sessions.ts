// Each machine's (or user's) most recent sessions, by their last request: the session ids the machines and
// users pages list under each one. Read from usage_daily, whose groups carry the session and its span, so a
// hub's millions of messages are not scanned once per machine.
import type { Db } from '../open.ts';
import { displayName, type LocalNames } from '../machine-names.ts';
import { prepareCached } from './prepare-cached.ts';
import { siteSql, type SiteFilter } from './site-filter.ts';
import { TEAM_COLUMN, type TeamDimension } from './team-breakdown.ts';

export interface TeamSessionRow {
  key: string;
  sessionId: string;
}

export function teamRecentSessions(
  db: Db,
  by: TeamDimension,
  f: SiteFilter,
  local: LocalNames,
  limit: number,
): TeamSessionRow[] {
  const q = siteSql(db, f);
  return prepareCached(
    db,
    `SELECT key, sessionId FROM (
       SELECT key, sessionId, row_number() OVER (PARTITION BY key ORDER BY lastTs DESC, sessionId) AS n
       FROM (SELECT ${displayName(TEAM_COLUMN[by], '@local')} AS key, session_id AS sessionId, ${q.lastTs} AS lastTs
             FROM ${q.from} ${q.where}
             GROUP BY 1, 2))
     WHERE n <= @limit
     ORDER BY key, n`,
  ).all({ ...q.params, local: by === 'machine' ? local.machine : local.user, limit }) as TeamSessionRow[];
}
