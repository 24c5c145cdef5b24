// Tokens and cost per local day and machine or user: the stacked cost-per-day chart of the machines and users
// pages. Rows carry the name in `model`, the layer key the daily chart shaping stacks by.
import type { Db } from '../open.ts';
import { displayName, type LocalNames } from '../machine-names.ts';
import { prepareCached } from './prepare-cached.ts';
import { siteSql, type SiteFilter } from './site-filter.ts';
import { TEAM_COLUMN, type TeamDimension } from './team-breakdown.ts';
import type { DayModelRow } from './usage-by-day-model.ts';

export function usageByDayTeam(db: Db, by: TeamDimension, f: SiteFilter, local: LocalNames): DayModelRow[] {
  const q = siteSql(db, f);
  return prepareCached(
    db,
    `SELECT ${q.day} AS day, ${displayName(TEAM_COLUMN[by], '@local')} AS model, sum(total_tokens) AS totalTokens,
              ${q.costSum} AS cost, ${q.unpricedSum} AS unpricedMessages
       FROM ${q.from} ${q.where}
       GROUP BY 1, 2
       ORDER BY 1, 2`,
  ).all({ ...q.params, local: by === 'machine' ? local.machine : local.user }) as DayModelRow[];
}
