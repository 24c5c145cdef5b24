// The months (local time) given sessions started in: the pages of the session listing that show them, which
// the incremental refresh re-renders with the session's own page.
import type { Db } from '../db/open.ts';
import { sessionFirstRequests } from '../db/queries/session-first-requests.ts';
import { sessionMonthOf } from './session-months.ts';

export function sessionStartMonths(db: Db, timezone: string, sessionIds: Iterable<string>): string[] {
  const monthOf = sessionMonthOf(timezone);
  return [...new Set([...sessionFirstRequests(db, sessionIds).values()].map(monthOf))];
}
