// Dates and durations as the report pages print them, always in the configured timezone. Day keys
// (YYYY-MM-DD) are calendar dates already, so they are formatted as UTC to keep them as they are.
import { makeOffset } from '../time/local-time.ts';

const cache = new Map<string, Intl.DateTimeFormat>();

function fmt(tz: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = tz + JSON.stringify(opts);
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: tz, ...opts });
    cache.set(key, f);
  }
  return f;
}

const pad = (n: number) => (n < 10 ? '0' : '') + n;

const offsets = new Map<string, (ts: number) => number>();

/** The instant as a Date whose UTC fields are the local wall-clock time in tz. */
function wallClock(ts: number, tz: string): Date {
  let offset = offsets.get(tz);
  if (!offset) offsets.set(tz, (offset = makeOffset(tz)));
  return new Date(ts + offset(ts) * 60_000);
}

/** 2026-11-21 14:05 */
export function formatDateTime(ts: number, tz: string): string {
  const d = wallClock(ts, tz);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** 14:05:09 */
export function formatTime(ts: number, tz: string): string {
  const d = wallClock(ts, tz);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Sat 21 Nov 2026 */
export function formatDay(day: string): string {
  return fmt('UTC', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' })
    .format(Date.parse(`${day}T00:00:00Z`))
    .replace(',', '');
}

/** November 2026 */
export function formatMonth(month: string): string {
  return fmt('UTC', { month: 'long', year: 'numeric' }).format(Date.parse(`${month}-01T00:00:00Z`));
}

/** 2 h 05 min, 12 min, 40 s */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** The local calendar day of an instant. */
export function localDay(ts: number, tz: string): string {
  const d = wallClock(ts, tz);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The first day of the day's week, for weeks starting on `startsOn` (0 = Sunday … 6 = Saturday; Monday unless
 *  CTM_WEEK_START says otherwise). */
export function weekStart(day: string, startsOn = 1): string {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((dow + 7 - startsOn) % 7));
}

/** Every day from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

export function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** The readable name of a project: the last segment of its working directory. */
export function projectName(cwd: string): string {
  const parts = cwd.split(/[\\/]/).filter(Boolean);
  return parts.at(-1) ?? cwd;
}
