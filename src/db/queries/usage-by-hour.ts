// Tokens by kind and cost per local hour of one day (the day page's chart). Hours without usage are absent;
// the chart shaping fills them with zeros.
import type { Db } from '../open.ts';
import { prepareCached } from './prepare-cached.ts';
import { makeLocalTime } from '../../time/local-time.ts';
import { messagesSql, sumColumns, type SiteFilter, type Sums } from './site-filter.ts';

const registered = new WeakMap<Db, Set<string>>();

export interface HourRow extends Sums {
  hour: number;
}

export function usageByHour(db: Db, f: SiteFilter & { fromDay: string; toDay: string }): HourRow[] {
  const q = messagesSql(db, f);
  let hour = 'hour';
  if (q.day !== 'day') {
    const name = `ctm_local_hour_${f.timezone.replace(/\W/g, '_')}`;
    // Registered once per connection: redefining a function that cached statements use is not safe.
    let names = registered.get(db);
    if (!names) registered.set(db, (names = new Set()));
    if (!names.has(name)) {
      const localTime = makeLocalTime(f.timezone);
      db.function(name, { deterministic: true }, (ts: unknown) => localTime(Number(ts)).hour);
      names.add(name);
    }
    hour = `${name}(ts)`;
  }
  return prepareCached(
    db,
    `SELECT ${hour} AS hour, ${sumColumns(q.cost)} FROM usage ${q.where} GROUP BY 1 ORDER BY 1`,
  ).all(q.params) as HourRow[];
}
