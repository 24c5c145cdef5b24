// Stored day/hour buckets depend on the timezone and stored costs on the price table. When either changed
// since the last run, recompute them (and the usage_daily rollup of them) in one transaction so reports never mix
// two timezones or two tables.
import type { Db } from '../src/db/open.ts';
import type { PriceTable } from '../src/pricing/pricing-schema.ts';
import { requestCost, type PricedRequest } from '../src/pricing/request-cost.ts';
import { makeLocalTime } from '../src/time/local-time.ts';
import { rebuildDailyRollup } from './daily-rollup.ts';

export function readMeta(db: Db, key: string): string | undefined {
  return (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)
    ?.value;
}

export function writeMeta(db: Db, key: string, value: string): void {
  db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

export function reconcileSettings(
  db: Db,
  settings: { timezone: string; pricing: PriceTable & { hash: string } },
): { retimed: number; repriced: number } {
  const result = { retimed: 0, repriced: 0 };
  db.transaction(() => {
    if (readMeta(db, 'timezone') !== settings.timezone) {
      const localTime = makeLocalTime(settings.timezone);
      const update = db.prepare('UPDATE messages SET day = ?, hour = ? WHERE key = ?');
      for (const row of db.prepare('SELECT key, ts FROM messages').all() as { key: string; ts: number }[]) {
        const { day, hour } = localTime(row.ts);
        update.run(day, hour, row.key);
        result.retimed++;
      }
      writeMeta(db, 'timezone', settings.timezone);
    }
    if (readMeta(db, 'pricing_hash') !== settings.pricing.hash) {
      const update = db.prepare('UPDATE messages SET cost_calc_usd = ? WHERE key = ?');
      const rows = db
        .prepare(
          `SELECT key, model, ts, speed, inference_geo AS geo, input_tokens AS input, output_tokens AS output,
                  cache_write_5m_tokens AS cacheWrite5m, cache_write_1h_tokens AS cacheWrite1h,
                  cache_read_tokens AS cacheRead, web_search_requests AS webSearchRequests FROM messages`,
        )
        .all() as (PricedRequest & { key: string })[];
      for (const row of rows) {
        update.run(requestCost(settings.pricing, row), row.key);
        result.repriced++;
      }
      writeMeta(db, 'pricing_hash', settings.pricing.hash);
    }
    if (result.retimed + result.repriced > 0) rebuildDailyRollup(db);
  })();
  return result;
}
