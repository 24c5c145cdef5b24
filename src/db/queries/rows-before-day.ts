// How many counted messages fall before a local day (index-only): tells a cache of older sums whether the
// history it summed has changed since.
import type { Db } from '../open.ts';
import { dayBucketCached, prepareCached } from './prepare-cached.ts';

export function rowsBeforeDay(db: Db, timezone: string, day: string): number {
  const d = dayBucketCached(db, timezone);
  return prepareCached(db, `SELECT count(*) FROM usage WHERE ${d} < ?`).pluck().get(day) as number;
}
