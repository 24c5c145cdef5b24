// How many counted messages are older than an instant: a cheap fingerprint (ts index only) that tells the
// block cache whether history before its resume point changed.
import type { Db } from '../open.ts';
import { prepareCached } from './prepare-cached.ts';

export function blockRowsCount(db: Db, beforeTs: number): number {
  return prepareCached(db, 'SELECT count(*) FROM usage WHERE ts < ?').pluck().get(beforeTs) as number;
}
