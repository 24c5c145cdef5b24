// Records what one status-line call saw of the official limits and the prompt cache, only what is new: a
// reading already stored (by this call's session or any other) is found by its unique index with a read on
// any connection, a read-only one included, so most calls never take the write lock. New readings go in with
// INSERT OR IGNORE in one transaction: calls racing with the same reading store it once, and a busy answer is
// retried until the caller's deadline.
import type { Db } from '../open.ts';
import type { LimitWindow, PromptCache } from '../../statusline/status-input.ts';
import { untilNotBusy } from './open-limits.ts';

export interface Observation {
  sessionId: string | null;
  rateLimits: Record<string, LimitWindow>;
  promptCache: PromptCache | null;
  at: number;
}

/** What of an observation the store does not hold yet. */
export interface NewReadings {
  observation: Observation;
  limits: [string, LimitWindow][];
  /** The prompt cache's key columns (session, requests, misses, expected rebuilds, warm), when new. */
  cacheKey: [string, number, number, number, number] | null;
}

const unknown = (n: number | null): number => n ?? -1;
const tri = (b: boolean | null): number => (b === null ? -1 : b ? 1 : 0);

export function newReadings(db: Db | null, o: Observation): NewReadings {
  const known = db?.prepare(
    `SELECT 1 FROM rate_limits
     WHERE window_name = ? AND resets_at = ? AND used_percentage = ? AND ifnull(used_usd, -1) = ?
       AND ifnull(limit_usd, -1) = ?`,
  );
  const limits = Object.entries(o.rateLimits).filter(
    ([name, w]) =>
      known?.get(name, w.resetsAt, w.usedPercentage, unknown(w.usedUsd), unknown(w.limitUsd)) === undefined,
  );
  const pc = o.promptCache;
  let cacheKey: NewReadings['cacheKey'] = null;
  // Without a session id a cache state belongs to nobody: not recorded.
  if (pc && o.sessionId !== null) {
    const key: NonNullable<NewReadings['cacheKey']> = [
      o.sessionId,
      unknown(pc.requests),
      unknown(pc.misses),
      unknown(pc.expectedRebuilds),
      tri(pc.warm),
    ];
    const seen = db
      ?.prepare(
        `SELECT 1 FROM prompt_cache
         WHERE session_id = ? AND requests = ? AND misses = ? AND expected_rebuilds = ? AND warm = ?`,
      )
      .get(...key);
    if (seen === undefined) cacheKey = key;
  }
  return { observation: o, limits, cacheKey };
}

export const hasNew = (n: NewReadings): boolean => n.limits.length > 0 || n.cacheKey !== null;

/** Inserts the new readings on a writer's connection; returns the rows added (0 when others were first). */
export function insertReadings(db: Db, n: NewReadings, deadline: number): number {
  const o = n.observation;
  const insertLimit = db.prepare(
    `INSERT OR IGNORE INTO rate_limits
       (window_name, used_percentage, resets_at, used_usd, limit_usd, period, observed_at, session_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertCache = db.prepare(
    `INSERT OR IGNORE INTO prompt_cache
       (session_id, requests, misses, expected_rebuilds, warm, caching_observed, ttl, expires_at, hit_ratio,
        cache_write_tokens, miss_recache_tokens, last_miss_at, last_miss_causes, observed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const write = db.transaction((): number => {
    let added = 0;
    for (const [name, w] of n.limits) {
      added += insertLimit.run(
        name,
        w.usedPercentage,
        w.resetsAt,
        w.usedUsd,
        w.limitUsd,
        w.period,
        o.at,
        o.sessionId,
      ).changes;
    }
    const pc = o.promptCache;
    if (n.cacheKey && pc) {
      added += insertCache.run(
        ...n.cacheKey,
        pc.cachingObserved === null ? null : Number(pc.cachingObserved),
        pc.ttl,
        pc.expiresAt,
        pc.hitRatio,
        pc.cacheWriteTokens,
        pc.missRecacheTokens,
        pc.lastMissAt,
        JSON.stringify(pc.lastMissCauses),
        o.at,
      ).changes;
    }
    return added;
  });
  return untilNotBusy(() => write.immediate(), deadline);
}
