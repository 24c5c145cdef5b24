// The nearest earlier and later days with usage, for a day page's previous/next links.
import type { Db } from '../open.ts';
import { prepareCached, dayBucketCached } from './prepare-cached.ts';

export function adjacentDays(
  db: Db,
  timezone: string,
  day: string,
): { prev: string | null; next: string | null } {
  const d = dayBucketCached(db, timezone);
  return prepareCached(
    db,
    `SELECT (SELECT max(${d}) FROM usage WHERE ${d} < @day) AS prev, (SELECT min(${d}) FROM usage WHERE ${d} > @day) AS next`,
  ).get({ day }) as { prev: string | null; next: string | null };
}
