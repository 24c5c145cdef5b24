// Tick labels of a time axis in the page's timezone. Spans within a day read as clock times (14:05), with the
// date under the first tick and wherever the day changes; longer spans read as dates (Nov 30), with the year
// under the first tick and wherever it changes. One line a tick otherwise, so labels never run into each other.
import { formatDateTime } from '../../format/local-format.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_S = 86_400;

/** Tick steps in seconds: whole minutes up to a day, then days, weeks, months (30 d) and years (365 d), which
 *  uPlot lays on calendar boundaries in the axis's timezone. */
export const TIME_TICK_STEPS = [
  60,
  120,
  300,
  600,
  900,
  1800,
  3600,
  7200,
  3 * 3600,
  6 * 3600,
  12 * 3600,
  DAY_S,
  2 * DAY_S,
  7 * DAY_S,
  14 * DAY_S,
  30 * DAY_S,
  91 * DAY_S,
  182 * DAY_S,
  365 * DAY_S,
];

/** The steps an axis may tick at: a per-day axis ticks on days, weeks or months, never on the hours between
 *  them (its rows are whole days); a time axis at any of them. */
export function tickSteps(xKind: 'day' | 'time'): readonly number[] {
  return xKind === 'day' ? TIME_TICK_STEPS.filter((s) => s >= DAY_S) : TIME_TICK_STEPS;
}

export function timeTicks(splits: readonly number[], stepSeconds: number, tz: string): string[] {
  let previous = '';
  return splits.map((seconds) => {
    // YYYY-MM-DD HH:MM in the timezone, from the site's one date formatter.
    const stamp = formatDateTime(seconds * 1000, tz);
    const date = `${MONTHS[Number(stamp.slice(5, 7)) - 1]} ${Number(stamp.slice(8, 10))}`;
    const withinDay = stepSeconds < DAY_S;
    // The part whose change earns a second line: the day under clock times, the year under dates.
    const unit = stamp.slice(0, withinDay ? 10 : 4);
    const changed = unit !== previous;
    previous = unit;
    if (withinDay) return changed ? `${stamp.slice(11)}\n${date}` : stamp.slice(11);
    return changed ? `${date}\n${unit}` : date;
  });
}
