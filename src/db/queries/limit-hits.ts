// The rate limits Claude Code hit (its synthetic rate_limit lines) that say when they reset, oldest first:
// the blocks report marks the block each falls in with usageLimitResetTime. An index older than 005 has none.
import type { Db } from '../open.ts';
import { schemaVersion } from './usage-by-period.ts';

export interface LimitHit {
  ts: number;
  resetsAt: number;
}

export function limitHits(db: Db, project?: string): LimitHit[] {
  if (schemaVersion(db) < 5) return [];
  return db
    .prepare(
      `SELECT ts, resets_at AS resetsAt FROM limit_hits
       WHERE resets_at IS NOT NULL AND (@project IS NULL OR project = @project)
       ORDER BY ts`,
    )
    .all({ project: project ?? null }) as LimitHit[];
}
