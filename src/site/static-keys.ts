// The route keys of a build, read once per build process and shared by every route's getStaticPaths (the
// twin routes never use it: they render whatever path they are asked for). The session starts are read once
// too: the session listing's month pages and their getStaticPaths all group the same sessions by month. So is
// the list of every session: one grouped scan gives the session pages their summary rows, instead of one
// query per page (a third of a session page's SQL time).
import { routeKeys, type RouteKeys } from '../db/queries/route-keys.ts';
import { sessionList, type SessionListRow } from '../db/queries/session-list.ts';
import { sessionStarts, type SessionStartRow } from '../db/queries/session-starts.ts';
import { siteContext } from './site-context.ts';

let keys: RouteKeys | undefined;
let starts: SessionStartRow[] | undefined;
let sessions: Map<string, SessionListRow> | undefined;

export function staticKeys(): RouteKeys {
  if (!keys) {
    const { db, filter } = siteContext();
    keys = routeKeys(db, filter.timezone);
  }
  return keys;
}

export function staticSessionStarts(): SessionStartRow[] {
  starts ??= sessionStarts(siteContext().db);
  return starts;
}

export function staticSessionRows(): ReadonlyMap<string, SessionListRow> {
  if (!sessions) {
    const { db, filter } = siteContext();
    sessions = new Map(sessionList(db, filter).map((row) => [row.sessionId, row]));
  }
  return sessions;
}
