// Token and cost sums per session and model, with the session's project, last activity and span.
import type { Db } from '../open.ts';
import { costExpr, dayBucket } from '../day-bucket.ts';
import { usageWhere, type UsageFilter } from './usage-by-period.ts';

export interface SessionModelRow {
  sessionId: string;
  project: string;
  model: string;
  firstTs: number;
  lastTs: number;
  lastDay: string;
  inputTokens: number;
  outputTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  cost: number;
  messages: number;
  unpricedMessages: number;
}

export function usageBySession(db: Db, filter: UsageFilter): SessionModelRow[] {
  const day = dayBucket(db, filter.timezone);
  const cost = costExpr(filter.costMode);
  const where = usageWhere(filter, day);
  return db
    .prepare(
      `SELECT session_id AS sessionId, max(project) AS project, model, min(ts) AS firstTs, max(ts) AS lastTs,
              max(${day}) AS lastDay,
              sum(input_tokens) AS inputTokens, sum(output_tokens) AS outputTokens,
              sum(cache_write_5m_tokens) AS cacheWrite5mTokens, sum(cache_write_1h_tokens) AS cacheWrite1hTokens,
              sum(cache_read_tokens) AS cacheReadTokens, sum(total_tokens) AS totalTokens,
              coalesce(sum(${cost}), 0) AS cost, count(*) AS messages, sum(${cost} IS NULL) AS unpricedMessages
       FROM usage ${where.sql}
       GROUP BY session_id, model
       ORDER BY lastTs, session_id, model`,
    )
    .all(where.params) as SessionModelRow[];
}
