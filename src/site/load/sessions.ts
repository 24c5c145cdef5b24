// Data for the session listing: `/sessions/` (the most recent sessions and the months index) and
// `/sessions/months/YYYY-MM/` (every session that started in that month).
import type { SiteContext } from '../site-context.ts';
import { sessionList, type SessionListRow } from '../../db/queries/session-list.ts';
import { sessionStarts, type SessionStartRow } from '../../db/queries/session-starts.ts';
import { nameSessions, type ProjectNamed } from '../project-labels.ts';
import { recentSessions, sessionMonths, sessionsStartedIn, type SessionMonth } from '../session-months.ts';

export const RECENT_SESSIONS = 100;

export interface SessionsData {
  tz: string;
  month: string | null;
  sessions: (SessionListRow & ProjectNamed)[];
  months: SessionMonth[];
}

/** `starts` is the build's session starts (BuildLists); by default they are read now. */
export function loadSessions(
  ctx: SiteContext,
  month: string | null,
  starts: readonly SessionStartRow[] = sessionStarts(ctx.db),
): SessionsData {
  const { db, filter } = ctx;
  const tz = filter.timezone;
  const ids = month ? sessionsStartedIn(starts, tz, month) : recentSessions(starts, RECENT_SESSIONS);
  return {
    tz,
    month,
    sessions: ids.length ? nameSessions(db, sessionList(db, filter, { ids })) : [],
    months: sessionMonths(starts, tz),
  };
}
