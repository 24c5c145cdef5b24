// The subagents of one session as their agent-<id>.meta.json describes them (agentType, description), by
// agent id: the session page names each thread by its type.
import type { Db } from '../open.ts';
import { prepareCached } from './prepare-cached.ts';

export interface SubagentType {
  agentType: string | null;
  description: string | null;
}

export function sessionSubagentTypes(db: Db, sessionId: string): Map<string, SubagentType> {
  const rows = prepareCached(
    db,
    `SELECT agent_id AS agentId, agent_type AS agentType, description FROM subagents WHERE session_id = ?`,
  ).all(sessionId) as (SubagentType & { agentId: string })[];
  return new Map(rows.map(({ agentId, ...t }) => [agentId, t]));
}
