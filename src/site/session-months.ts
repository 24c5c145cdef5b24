// Sessions belong to the month (local time) of their first request: that keeps each static month page of the
// session listing at a stable address while a session grows. Pure: starts in, months and members out.
import type { SessionStartRow } from '../db/queries/session-starts.ts';
import { makeLocalTime } from '../time/local-time.ts';

export interface SessionMonth {
  month: string;
  sessions: number;
}

const monthOf = new Map<string, (ts: number) => string>();

/** The local month of an instant; one per timezone, so its cache of Intl results serves every page. */
export function sessionMonthOf(tz: string): (ts: number) => string {
  let of = monthOf.get(tz);
  if (!of) {
    const localTime = makeLocalTime(tz);
    of = (ts) => localTime(ts).day.slice(0, 7);
    monthOf.set(tz, of);
  }
  return of;
}

/** Months with sessions, newest first, with how many sessions started in each. */
export function sessionMonths(starts: readonly SessionStartRow[], tz: string): SessionMonth[] {
  const monthOf = sessionMonthOf(tz);
  const counts = new Map<string, number>();
  for (const s of starts) {
    const m = monthOf(s.firstTs);
    counts.set(m, (counts.get(m) ?? 0) + 1);
  }
  return [...counts]
    .map(([month, sessions]) => ({ month, sessions }))
    .sort((a, b) => (a.month < b.month ? 1 : a.month > b.month ? -1 : 0));
}

/** Ids of the sessions that started in `month`. */
export function sessionsStartedIn(starts: readonly SessionStartRow[], tz: string, month: string): string[] {
  const monthOf = sessionMonthOf(tz);
  return starts.filter((s) => monthOf(s.firstTs) === month).map((s) => s.sessionId);
}

/** Ids of the `n` sessions with the most recent activity. */
export function recentSessions(starts: readonly SessionStartRow[], n: number): string[] {
  return [...starts]
    .sort((a, b) => b.lastTs - a.lastTs || (a.sessionId < b.sessionId ? -1 : 1))
    .slice(0, n)
    .map((s) => s.sessionId);
}
