// Token, message and cost sums per stored day, model, machine and user (from the usage_daily rollup, a few
// rows a day; machine and user are '' for this machine's own transcripts),
// optionally for some days only. The metrics registry
// keeps these rows in memory and re-reads only the days an ingest commit touched, so the Prometheus totals
// always equal the database and nothing is counted twice.
import type { Db } from '../open.ts';
import type { CostMode } from '../day-bucket.ts';
import { ROLLUP_COST } from '../sum-columns.ts';

export interface DayModelTotalsRow {
  day: string;
  model: string;
  machine: string;
  user: string;
  inputTokens: number;
  outputTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  cacheReadTokens: number;
  cost: number;
  messages: number;
}

export function totalsByDayModel(db: Db, costMode: CostMode, days?: readonly string[]): DayModelTotalsRow[] {
  const where = days ? `WHERE day IN (SELECT value FROM json_each(?))` : '';
  const stmt = db.prepare(
    `SELECT day, model, machine, user_name AS user, sum(input_tokens) AS inputTokens, sum(output_tokens) AS outputTokens,
            sum(cache_write_5m_tokens) AS cacheWrite5mTokens, sum(cache_write_1h_tokens) AS cacheWrite1hTokens,
            sum(cache_read_tokens) AS cacheReadTokens, total(${ROLLUP_COST[costMode]}) AS cost,
            sum(messages) AS messages
     FROM usage_daily ${where} GROUP BY day, model, machine, user_name`,
  );
  return (days ? stmt.all(JSON.stringify(days)) : stmt.all()) as DayModelTotalsRow[];
}
