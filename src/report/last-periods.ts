// `--last N` of the daily, weekly and monthly reports, as ccusage counts it: the N calendar periods up to and
// including the current one (1 is today, this week or this month, with or without usage), as the first day
// they cover. Pure: today's local day is passed in.
import type { Period, WeekDay } from '../db/queries/usage-by-period.ts';
import { addDays, weekStart } from '../format/local-format.ts';

export function lastPeriodsStart(
  period: Period,
  n: number,
  today: string,
  weekStartsOn: WeekDay = 0,
): string {
  if (period === 'day') return addDays(today, -(n - 1));
  if (period === 'week') return addDays(weekStart(today, weekStartsOn), -7 * (n - 1));
  const [year, month] = today.split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) - (n - 1);
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}
