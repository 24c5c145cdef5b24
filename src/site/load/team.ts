// Data for `/machines/` and `/users/`: each machine (or user) with its all-time sums, cost per day over the
// index's active range (one layer per machine or user), and each one's most recent sessions. A page exists only
// when the index holds more than one machine (user): a single-machine install has neither.
import type { SiteContext } from '../site-context.ts';
import { teamBreakdown, type TeamDimension, type TeamRow } from '../../db/queries/team-breakdown.ts';
import { usageByDayTeam } from '../../db/queries/usage-by-day-team.ts';
import { sessionList, type SessionListRow } from '../../db/queries/session-list.ts';
import { teamRecentSessions } from '../../db/queries/team-recent-sessions.ts';
import { teamNames } from '../../db/queries/team-names.ts';
import { dailyByModel } from '../../components/charts/daily-by-model.ts';
import type { ChartSpec } from '../../components/charts/chart-spec.ts';
import { daysBetween } from '../../format/local-format.ts';
import { nameSessions, type ProjectNamed } from '../project-labels.ts';

/** Sessions listed under each machine or user; the session pages list them all. */
export const TEAM_SESSIONS = 20;
/** Layers of the cost chart before the rest fold into one. */
const CHART_LAYERS = 8;

export interface TeamMember extends TeamRow {
  sessionList: (SessionListRow & ProjectNamed)[];
}

export interface TeamData {
  tz: string;
  by: TeamDimension;
  members: TeamMember[];
  chart: ChartSpec;
  /** Which of the two pages exist, for the navigation. */
  nav: TeamNav;
}

export interface TeamNav {
  machines: boolean;
  users: boolean;
}

export function teamNav(ctx: SiteContext): TeamNav {
  const names = teamNames(ctx.db, localNames(ctx));
  return { machines: names.machines.length > 1, users: names.users.length > 1 };
}

export function localNames(ctx: SiteContext): { machine: string; user: string } {
  return { machine: ctx.config.machine, user: ctx.config.user };
}

export function loadTeam(ctx: SiteContext, by: TeamDimension): TeamData | undefined {
  const { db, filter } = ctx;
  const local = localNames(ctx);
  const rows = teamBreakdown(db, by, filter, local);
  if (rows.length < 2) return undefined;
  const from = rows.reduce((d, r) => (r.firstDay < d ? r.firstDay : d), rows[0]!.firstDay);
  const to = rows.reduce((d, r) => (r.lastDay > d ? r.lastDay : d), rows[0]!.lastDay);
  const label = by === 'machine' ? 'Cost per day by machine' : 'Cost per day by user';
  // One read of the listed sessions for all members. A session's row is its own, whichever machines sent it
  // (a hub counts a copied session's responses once).
  const recent = teamRecentSessions(db, by, filter, local, TEAM_SESSIONS);
  const ids = [...new Set(recent.map((r) => r.sessionId))];
  const listed = new Map(nameSessions(db, sessionList(db, filter, { ids })).map((s) => [s.sessionId, s]));
  const members = rows.map((row) => ({
    ...row,
    sessionList: recent.filter((r) => r.key === row.key).flatMap((r) => listed.get(r.sessionId) ?? []),
  }));
  return {
    tz: filter.timezone,
    by,
    members,
    chart: dailyByModel(
      usageByDayTeam(db, by, filter, local),
      daysBetween(from, to),
      'cost',
      label,
      CHART_LAYERS,
    ),
    nav: teamNav(ctx),
  };
}
