// The newest counted messages, newest first: the "last requests" list of the live page.
import type { Db } from '../open.ts';
import { costExpr, type CostMode } from '../day-bucket.ts';

export interface RecentRequestRow {
  ts: number;
  model: string;
  sessionId: string;
  project: string;
  isSidechain: number;
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  cost: number | null;
}

export function recentRequests(db: Db, costMode: CostMode, limit = 10): RecentRequestRow[] {
  return db
    .prepare(
      `SELECT ts, model, session_id AS sessionId, project, is_sidechain AS isSidechain,
              input_tokens AS inputTokens, output_tokens AS outputTokens,
              cache_write_5m_tokens + cache_write_1h_tokens AS cacheWriteTokens, cache_read_tokens AS cacheReadTokens,
              total_tokens AS totalTokens, ${costExpr(costMode)} AS cost
       FROM usage ORDER BY ts DESC, key DESC LIMIT ?`,
    )
    .all(limit) as RecentRequestRow[];
}
