// Every counted request of one session in time order (tokens by kind, cost, model, subagent): the session
// page's chart and its per-model and per-agent figures. Never any message text: the index holds none.
import type { Db } from '../open.ts';
import type { TokenSums } from '../sum-columns.ts';
import { prepareCached } from './prepare-cached.ts';
import { costExpr, type CostMode } from '../day-bucket.ts';

export interface SessionRequestRow extends TokenSums {
  ts: number;
  model: string;
  agentId: string | null;
  /** Part of outputTokens (output_tokens_details.thinking_tokens), never added to it. */
  thinkingTokens: number;
  webSearchRequests: number;
  webFetchRequests: number;
  cost: number | null;
}

export function sessionRequests(db: Db, sessionId: string, costMode: CostMode): SessionRequestRow[] {
  return prepareCached(
    db,
    `SELECT ts, model, agent_id AS agentId, input_tokens AS inputTokens, output_tokens AS outputTokens,
            cache_write_5m_tokens AS cacheWrite5mTokens, cache_write_1h_tokens AS cacheWrite1hTokens,
            cache_read_tokens AS cacheReadTokens, total_tokens AS totalTokens,
            thinking_tokens AS thinkingTokens, web_search_requests AS webSearchRequests,
            web_fetch_requests AS webFetchRequests, ${costExpr(costMode)} AS cost
     FROM usage WHERE session_id = ? ORDER BY ts, key`,
  ).all(sessionId) as SessionRequestRow[];
}
