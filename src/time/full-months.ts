// The months lying wholly within a range of days: a rollup by month answers those, a rollup by day the rest.

const monthOf = (year: number, monthIndex: number): string =>
  new Date(Date.UTC(year, monthIndex, 1)).toISOString().slice(0, 7);

/** The first and last month (YYYY-MM) whose every day is within from..to (YYYY-MM-DD, both included), or
 *  undefined when no month is. */
export function fullMonths(from: string, to: string): [string, string] | undefined {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  const first = fd === 1 ? from.slice(0, 7) : monthOf(fy, fm);
  // Day 0 of the next month is this month's last day.
  const last = td === new Date(Date.UTC(ty, tm, 0)).getUTCDate() ? to.slice(0, 7) : monthOf(ty, tm - 2);
  return first <= last ? [first, last] : undefined;
}
