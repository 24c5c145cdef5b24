// Sums per machine or per user for a filter, biggest cost first: the machines and users tables of the site.
// Each row is keyed by its display name (this machine's own rows, stored under '', by its CTM_MACHINE and
// CTM_USER), so two stored values of one name — never the case but for '' — are one row.
import type { Db } from '../open.ts';
import { displayName, type LocalNames } from '../machine-names.ts';
import { prepareCached } from './prepare-cached.ts';
import { siteSql, type SiteFilter } from './site-filter.ts';
import type { BreakdownRow } from './usage-breakdown.ts';

export type TeamDimension = 'machine' | 'user';

/** A breakdown's row, keyed by the display name (no label). */
export type TeamRow = Omit<BreakdownRow, 'label'>;

export const TEAM_COLUMN = { machine: 'machine', user: 'user_name' } as const;

export function teamBreakdown(db: Db, by: TeamDimension, f: SiteFilter, local: LocalNames): TeamRow[] {
  const q = siteSql(db, f);
  return prepareCached(
    db,
    `SELECT ${displayName(TEAM_COLUMN[by], '@local')} AS key, ${q.lastTs} AS lastTs, ${q.sums},
              count(DISTINCT session_id) AS sessions, min(${q.day}) AS firstDay, max(${q.day}) AS lastDay
       FROM ${q.from} ${q.where}
       GROUP BY 1
       ORDER BY cost DESC, totalTokens DESC, key`,
  ).all({ ...q.params, local: by === 'machine' ? local.machine : local.user }) as TeamRow[];
}
