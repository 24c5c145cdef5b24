// Tokens and cost per local day and model: the stacked daily charts (overview, month, project, models).
import type { Db } from '../open.ts';
import { prepareCached } from './prepare-cached.ts';
import { siteSql, type SiteFilter } from './site-filter.ts';

export interface DayModelRow {
  day: string;
  model: string;
  totalTokens: number;
  cost: number;
  unpricedMessages: number;
}

export function usageByDayModel(db: Db, f: SiteFilter): DayModelRow[] {
  const q = siteSql(db, f);
  return prepareCached(
    db,
    `SELECT ${q.day} AS day, model, sum(total_tokens) AS totalTokens, ${q.costSum} AS cost,
              ${q.unpricedSum} AS unpricedMessages
       FROM ${q.from} ${q.where}
       GROUP BY 1, model
       ORDER BY 1, model`,
  ).all(q.params) as DayModelRow[];
}
