// Tokens and cost per day and model over the whole history (the /models/ charts), with the days before today
// kept per process and reused while their message count (index-only) is unchanged; today is summed fresh.
import type { Db } from '../db/open.ts';
import type { SiteFilter } from '../db/queries/site-filter.ts';
import { usageByDayModel, type DayModelRow } from '../db/queries/usage-by-day-model.ts';
import { rowsBeforeDay } from '../db/queries/rows-before-day.ts';
import { addDays } from './local-format.ts';

let memo: { db: Db; key: string; today: string; rows: number; closed: DayModelRow[] } | undefined;

export function dayModelHistory(db: Db, filter: SiteFilter, today: string): DayModelRow[] {
  const key = `${filter.timezone}|${filter.costMode}|${filter.project ?? ''}`;
  const rows = rowsBeforeDay(db, filter.timezone, today);
  if (!memo || memo.db !== db || memo.key !== key || memo.today !== today || memo.rows !== rows) {
    memo = { db, key, today, rows, closed: usageByDayModel(db, { ...filter, toDay: addDays(today, -1) }) };
  }
  return [...memo.closed, ...usageByDayModel(db, { ...filter, fromDay: today })];
}
