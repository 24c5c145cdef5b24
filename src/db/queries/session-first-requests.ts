// The first request time of given sessions, from the (session_id, ts) index: which month of the session
// listing each belongs to, for the incremental refresh. Sessions with no counted request are left out.
import type { Db } from '../open.ts';
import { prepareCached } from './prepare-cached.ts';

export function sessionFirstRequests(db: Db, sessionIds: Iterable<string>): Map<string, number> {
  const first = prepareCached(db, 'SELECT min(ts) FROM usage WHERE session_id = ?').pluck();
  const out = new Map<string, number>();
  for (const id of sessionIds) {
    const ts = first.get(id) as number | null;
    if (ts !== null) out.set(id, ts);
  }
  return out;
}
