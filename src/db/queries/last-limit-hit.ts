// The latest rate limit Claude Code hit (its synthetic rate_limit / 429 line with quotaLimits): the blocks
// page and /api/v1/live show it with its reset time. Limit hits are events, never usage.
import type { Db } from '../open.ts';
import { prepareCached } from './prepare-cached.ts';

export interface LimitHitRow {
  ts: number;
  sessionId: string;
  project: string;
  status: string | null;
  rateLimitType: string | null;
  /** Epoch ms, or null when the line gave no reset time. */
  resetsAt: number | null;
}

export function lastLimitHit(db: Db): LimitHitRow | null {
  const row = prepareCached(
    db,
    `SELECT ts, session_id AS sessionId, project, status, rate_limit_type AS rateLimitType,
            resets_at AS resetsAt
     FROM limit_hits ORDER BY ts DESC, key DESC LIMIT 1`,
  ).get() as LimitHitRow | undefined;
  return row ?? null;
}
