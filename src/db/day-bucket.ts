// SQL expression for a message's local calendar day. Rows store the day in the timezone ingest ran with;
// a report asked for another timezone gets a per-row function instead (slower, still exact).
import type { Db } from './open.ts';
import { makeLocalTime } from '../time/local-time.ts';

export function dayBucket(db: Db, timezone: string): string {
  const stored = (
    db.prepare(`SELECT value FROM meta WHERE key = 'timezone'`).get() as { value: string } | undefined
  )?.value;
  if (stored === timezone) return 'day';
  const localTime = makeLocalTime(timezone);
  db.function('ctm_local_day', { deterministic: true }, (ts: unknown) => localTime(Number(ts)).day);
  return 'ctm_local_day(ts)';
}

export type CostMode = 'auto' | 'calculate' | 'display';

/** The cost column for a cost mode; NULL means "no price known" (never silently 0). */
export function costExpr(mode: CostMode): string {
  if (mode === 'calculate') return 'cost_calc_usd';
  if (mode === 'display') return 'coalesce(cost_logged_usd, 0)';
  return 'coalesce(cost_logged_usd, cost_calc_usd)';
}
