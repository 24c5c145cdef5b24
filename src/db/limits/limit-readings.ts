// Reads limits.db: each window's current reading (the latest reset, then the highest use: a session that
// has not made a request for a while still reports its older, lower figure) and the readings over time.
import type { Db } from '../open.ts';
import type { LimitWindow } from '../../statusline/status-input.ts';

/** A window's reading as the status line saw it, and when. */
export interface LimitReading extends LimitWindow {
  window: string;
  observedAt: number;
}

const COLUMNS = `window_name AS window, used_percentage AS usedPercentage, resets_at AS resetsAt,
  used_usd AS usedUsd, limit_usd AS limitUsd, period, observed_at AS observedAt`;

export function currentReading(db: Db, window: string): LimitReading | null {
  const row = db
    .prepare(
      `SELECT ${COLUMNS} FROM rate_limits WHERE window_name = ?
       ORDER BY resets_at DESC, used_percentage DESC, observed_at DESC LIMIT 1`,
    )
    .get(window) as LimitReading | undefined;
  return row ?? null;
}

/** The current reading of every window seen since `since` (epoch ms). */
export function currentReadings(db: Db, since: number): LimitReading[] {
  const names = db
    .prepare(`SELECT DISTINCT window_name FROM rate_limits WHERE observed_at >= ? ORDER BY 1`)
    .pluck()
    .all(since) as string[];
  return names.map((name) => currentReading(db, name)!);
}

/** Every reading of the given windows first seen since `since`, oldest first. */
export function readingsSince(db: Db, since: number, windows: readonly string[]): LimitReading[] {
  return db
    .prepare(
      `SELECT ${COLUMNS} FROM rate_limits
       WHERE observed_at >= ? AND window_name IN (SELECT value FROM json_each(?))
       ORDER BY observed_at, id`,
    )
    .all(since, JSON.stringify(windows)) as LimitReading[];
}
