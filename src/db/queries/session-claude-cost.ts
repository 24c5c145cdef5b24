// Claude Code's own figure for one session: the totalCostUSD of its last cost-state line (cumulative, side
// calls included), shown beside ctm's figure and never added into any total. Null when the session wrote none.
import type { Db } from '../open.ts';
import { prepareCached } from './prepare-cached.ts';

export function sessionClaudeCost(db: Db, sessionId: string): number | null {
  const row = prepareCached(db, 'SELECT total_cost_usd AS cost FROM session_costs WHERE session_id = ?').get(
    sessionId,
  ) as { cost: number } | undefined;
  return row?.cost ?? null;
}
