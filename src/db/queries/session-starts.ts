// Every session's first and last request time, from the (session_id, ts) index alone: the session listing's
// month index, its month pages and the most recent sessions, without aggregating the whole table.
import type { Db } from '../open.ts';
import { prepareCached } from './prepare-cached.ts';

export interface SessionStartRow {
  sessionId: string;
  firstTs: number;
  lastTs: number;
}

export function sessionStarts(db: Db): SessionStartRow[] {
  return prepareCached(
    db,
    'SELECT session_id AS sessionId, min(ts) AS firstTs, max(ts) AS lastTs FROM usage GROUP BY session_id',
  ).all() as SessionStartRow[];
}
