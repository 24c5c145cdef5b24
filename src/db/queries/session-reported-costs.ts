// Claude Code's own cost of each session (its last cost-state line), shown beside ctm's figure as
// reportedCost and never added into totals. An index older than migration 005 has none.
import type { Db } from '../open.ts';
import { schemaVersion } from './usage-by-period.ts';

export function sessionReportedCosts(db: Db): Map<string, number> {
  if (schemaVersion(db) < 5) return new Map();
  const rows = db
    .prepare('SELECT session_id AS sessionId, total_cost_usd AS reportedCost FROM session_costs')
    .all() as { sessionId: string; reportedCost: number }[];
  return new Map(rows.map((r) => [r.sessionId, r.reportedCost]));
}
