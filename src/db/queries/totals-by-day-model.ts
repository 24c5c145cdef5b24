// Token, message and cost sums per stored day, model, machine and user (from the usage_daily rollup, a few
// rows a day; machine and user are '' for this machine's own transcripts), optionally for some days only. The
// metrics registry keeps these rows in memory and re-reads only the days an ingest commit touched, so the
// Prometheus totals always equal the database and nothing is counted twice.
import type { Db } from '../open.ts';
import type { CostMode } from '../day-bucket.ts';
import { rollupSumColumns, type Sums } from '../sum-columns.ts';

export interface DayModelTotalsRow extends Sums {
  day: string;
  model: string;
  machine: string;
  user: string;
}

export function totalsByDayModel(db: Db, costMode: CostMode, days?: readonly string[]): DayModelTotalsRow[] {
  const where = days ? `WHERE day IN (SELECT value FROM json_each(?))` : '';
  const stmt = db.prepare(
    `SELECT day, model, machine, user_name AS user, ${rollupSumColumns(costMode)}
     FROM usage_daily ${where} GROUP BY day, model, machine, user_name`,
  );
  return (days ? stmt.all(JSON.stringify(days)) : stmt.all()) as DayModelTotalsRow[];
}
