// Token and cost sums between two local days, grouped by day, hour, model, project or session: the rows of
// GET /api/v1/usage. Days outside the stored timezone are bucketed per row (exact, slower).
import type { Db } from '../open.ts';
import { costExpr, dayBucket, type CostMode } from '../day-bucket.ts';
import { sumColumns, type Sums } from '../sum-columns.ts';
import { makeLocalTime } from '../../time/local-time.ts';

export type UsageGroupBy = 'day' | 'hour' | 'model' | 'project' | 'session';

export interface UsageGroupRow extends Sums {
  key: string;
}

export interface UsageGroupedOptions {
  from: string;
  to: string;
  groupBy: UsageGroupBy;
  timezone: string;
  costMode: CostMode;
}

function hourExpr(db: Db, day: string, timezone: string): string {
  if (day === 'day') return `day || 'T' || printf('%02d', hour)`;
  const localTime = makeLocalTime(timezone);
  db.function('ctm_local_hour', { deterministic: true }, (ts: unknown) => {
    const t = localTime(Number(ts));
    return `${t.day}T${String(t.hour).padStart(2, '0')}`;
  });
  return 'ctm_local_hour(ts)';
}

export function usageGrouped(db: Db, o: UsageGroupedOptions): UsageGroupRow[] {
  const day = dayBucket(db, o.timezone);
  const key = {
    day,
    hour: o.groupBy === 'hour' ? hourExpr(db, day, o.timezone) : '',
    model: 'model',
    project: 'project',
    session: 'session_id',
  }[o.groupBy];
  const cost = costExpr(o.costMode);
  return db
    .prepare(
      `SELECT ${key} AS key, ${sumColumns(cost)}
       FROM usage WHERE ${day} >= @from AND ${day} <= @to
       GROUP BY 1 ORDER BY ${o.groupBy === 'day' || o.groupBy === 'hour' ? '1' : 'totalTokens DESC, 1'}`,
    )
    .all({ from: o.from, to: o.to }) as UsageGroupRow[];
}
