// The last local day with usage under the site's filter, and the last request's time: the overview's idle state
// names it and ends its windows there. The filter's own day range is ignored (the question is "ever").
// An index without usage gives null, not an error.
import type { Db } from '../open.ts';
import { prepareCached } from './prepare-cached.ts';
import { siteSql, type SiteFilter } from './site-filter.ts';

export interface LastActivity {
  day: string;
  ts: number;
}

export function lastActivity(db: Db, f: SiteFilter): LastActivity | null {
  const q = siteSql(db, { ...f, fromDay: undefined, toDay: undefined });
  const row = prepareCached(
    db,
    `SELECT max(${q.day}) AS day, ${q.lastTs} AS ts FROM ${q.from} ${q.where}`,
  ).get(q.params) as { day: string | null; ts: number | null };
  return row.day === null || row.ts === null ? null : { day: row.day, ts: row.ts };
}
