// Days that Claude Code's stats-cache.json still knows but no indexed transcript covers (their files were
// deleted or pruned): tokens only, summed over its models and Claude dirs. Version 5+ rows count all four
// token kinds, older ones input + output; `allKinds` says which a day holds. A project filter has none.
import type { Db } from '../open.ts';
import { prepareCached } from './prepare-cached.ts';
import { ALL_KINDS_FROM_VERSION } from './stats-cache-disagreements.ts';

export interface StatsCacheDay {
  day: string;
  tokens: number;
  models: string;
  /** Every row of the day counts all four token kinds (dailyModelTokensVersion 5+). */
  allKinds: boolean;
}

export function statsCacheOnlyDays(db: Db, fromDay = '', toDay = '9999-12-31'): StatsCacheDay[] {
  const rows = prepareCached(
    db,
    `SELECT s.date AS day, sum(s.tokens) AS tokens, group_concat(DISTINCT s.model) AS models,
            min(s.version) >= ${ALL_KINDS_FROM_VERSION} AS allKinds
     FROM stats_cache_daily s
     WHERE s.date >= ? AND s.date <= ?
       AND NOT EXISTS (SELECT 1 FROM usage_daily u WHERE u.day = s.date)
     GROUP BY s.date ORDER BY s.date`,
  ).all(fromDay, toDay) as (Omit<StatsCacheDay, 'allKinds'> & { allKinds: number })[];
  return rows.map((r) => ({ ...r, allKinds: r.allKinds === 1 }));
}
