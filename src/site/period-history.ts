// Period totals for the /days/, /weeks/ and /months/ listings without re-aggregating the whole history on every
// refresh: periods that ended before the current one are kept per process and reused while the number of
// messages before the current period's start (an index-only count) is unchanged; the current period is summed
// fresh. Periods never straddle that boundary, so the result is exactly what one query would return.
import type { Db } from '../db/open.ts';
import type { SiteFilter } from '../db/queries/site-filter.ts';
import { periodTotals, type PeriodTotalsRow } from '../db/queries/period-totals.ts';
import { rowsBeforeDay } from '../db/queries/rows-before-day.ts';
import { addDays, weekStart } from './local-format.ts';

type Kind = 'day' | 'week' | 'month';

interface Memo {
  db: Db;
  key: string;
  boundary: string;
  rows: number;
  closed: PeriodTotalsRow[];
}
const memos = new Map<Kind, Memo>();

export function periodStart(kind: Kind, today: string): string {
  return kind === 'day' ? today : kind === 'week' ? weekStart(today) : `${today.slice(0, 7)}-01`;
}

export function periodHistory(db: Db, kind: Kind, filter: SiteFilter, today: string): PeriodTotalsRow[] {
  const boundary = periodStart(kind, today);
  const key = `${filter.timezone}|${filter.costMode}|${filter.project ?? ''}`;
  const rows = rowsBeforeDay(db, filter.timezone, boundary);
  let memo = memos.get(kind);
  if (!memo || memo.db !== db || memo.key !== key || memo.boundary !== boundary || memo.rows !== rows) {
    memo = {
      db,
      key,
      boundary,
      rows,
      closed: periodTotals(db, kind, { ...filter, toDay: addDays(boundary, -1) }),
    };
    memos.set(kind, memo);
  }
  return [...periodTotals(db, kind, { ...filter, fromDay: boundary }), ...memo.closed];
}
