// Tick labels of a time axis in the page's timezone. Spans within a day read as clock times (14:05), with the
// date under the first tick and wherever the day changes; longer spans read as dates (Nov 30), with the year
// under the first tick and wherever it changes. One line a tick otherwise, so labels never run into each other.
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

const formats = new Map<string, Intl.DateTimeFormat>();

export function timeTicks(splits: readonly number[], stepSeconds: number, tz: string): string[] {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(tz, f);
  }
  let previous: Record<string, string> | undefined;
  return splits.map((seconds) => {
    const p: Record<string, string> = {};
    for (const part of f.formatToParts(seconds * 1000)) p[part.type] = part.value;
    const date = `${MONTHS[Number(p.month) - 1]} ${Number(p.day)}`;
    let label: string;
    if (stepSeconds < DAY_S) {
      const newDay =
        !previous || previous.day !== p.day || previous.month !== p.month || previous.year !== p.year;
      label = newDay ? `${p.hour}:${p.minute}\n${date}` : `${p.hour}:${p.minute}`;
    } else {
      label = !previous || previous.year !== p.year ? `${date}\n${p.year}` : date;
    }
    previous = p;
    return label;
  });
}
