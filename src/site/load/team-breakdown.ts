// The overview's machines and users block: the last 30 days' sums per machine and per user, or undefined when
// the index holds one machine and one user, so a single-machine overview is exactly as it was.
import type { SiteContext } from '../site-context.ts';
import { teamBreakdown, type TeamRow } from '../../db/queries/team-breakdown.ts';
import { teamNames } from '../../db/queries/team-names.ts';
import { addDays, localDay } from '../../format/local-format.ts';
import { localNames } from './team.ts';

export interface TeamBreakdownData {
  /** Each list is empty when the index holds only one (its table is not drawn). */
  machines: TeamRow[];
  users: TeamRow[];
}

export function loadTeamBreakdown(ctx: SiteContext): TeamBreakdownData | undefined {
  const { db, filter, now } = ctx;
  const local = localNames(ctx);
  const names = teamNames(db, local);
  if (names.machines.length < 2 && names.users.length < 2) return undefined;
  const f = { ...filter, fromDay: addDays(localDay(now, filter.timezone), -29) };
  return {
    machines: names.machines.length > 1 ? teamBreakdown(db, 'machine', f, local) : [],
    users: names.users.length > 1 ? teamBreakdown(db, 'user', f, local) : [],
  };
}
