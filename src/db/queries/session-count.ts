// The number of sessions with counted messages, from the session index alone.
import type { Db } from '../open.ts';
import { prepareCached } from './prepare-cached.ts';

export function sessionCount(db: Db): number {
  return prepareCached(db, 'SELECT count(DISTINCT session_id) FROM usage').pluck().get() as number;
}
