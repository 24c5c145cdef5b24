// Claude Code's session cost figures (cost-state lines) an agent has not yet sent to a hub in their current
// value: read from this machine's own transcripts only, never from rows a hub received.
import type { Db } from '../open.ts';

export interface PushSessionCost {
  sessionId: string;
  totalCostUsd: number;
  modelUsageJson: string;
}

export function changedSessionCosts(db: Db, url: string): PushSessionCost[] {
  return db
    .prepare(
      `SELECT s.session_id AS sessionId, s.total_cost_usd AS totalCostUsd, s.model_usage_json AS modelUsageJson
       FROM session_costs s JOIN files f ON f.id = s.file_id
       LEFT JOIN push_session_costs p ON p.url = ? AND p.session_id = s.session_id
       WHERE f.claude_dir <> 'hub' AND p.total_cost_usd IS NOT s.total_cost_usd
       ORDER BY s.session_id`,
    )
    .all(url) as PushSessionCost[];
}
