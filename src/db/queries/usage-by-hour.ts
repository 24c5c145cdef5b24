// Tokens by kind and cost per local hour of one day (the day page's chart). Hours without usage are absent;
// the chart shaping fills them with zeros.
import type { Db } from '../open.ts';
import { prepareCached } from './prepare-cached.ts';
import { makeLocalTime } from '../../time/local-time.ts';
import { siteSql, sumColumns, type SiteFilter, type Sums } from './site-filter.ts';

export interface HourRow extends Sums {
  hour: number;
}

export function usageByHour(db: Db, f: SiteFilter & { fromDay: string; toDay: string }): HourRow[] {
  const q = siteSql(db, f);
  let hour = 'hour';
  if (q.day !== 'day') {
    const localTime = makeLocalTime(f.timezone);
    db.function('ctm_local_hour', { deterministic: true }, (ts: unknown) => localTime(Number(ts)).hour);
    hour = 'ctm_local_hour(ts)';
  }
  return prepareCached(
    db,
    `SELECT ${hour} AS hour, ${sumColumns(q.cost)} FROM usage ${q.where} GROUP BY 1 ORDER BY 1`,
  ).all(q.params) as HourRow[];
}
