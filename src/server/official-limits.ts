// Claude Code's official limits from limits.db, as /api/v1/live, /live/, the blocks page and /metrics show
// them: each window's current reading (null once its reset has passed with no reading since: the window's
// use is then unknown) and the 5-hour and 7-day use over time. The series is pure over the readings: at each
// reading's time, a window's value is its highest use within its latest window so far, and null from its reset
// on until a reading of the next window arrives.
import type { Db } from '../db/open.ts';
import { currentReadings, readingsSince, type LimitReading } from '../db/limits/limit-readings.ts';

export const CHART_WINDOWS = ['five_hour', 'seven_day'] as const;
const DAY_MS = 86_400_000;

export interface OfficialWindow extends LimitReading {
  /** The reset is still ahead: the reading stands. */
  current: boolean;
}

export interface OfficialLimits {
  windows: OfficialWindow[];
  /** Epoch ms, and per chart window its use in percent at that time (null: unknown, e.g. after a reset). */
  series: { ts: number[]; fiveHour: (number | null)[]; sevenDay: (number | null)[] };
}

export function limitSeries(readings: readonly LimitReading[], now: number): OfficialLimits['series'] {
  const state = new Map<string, { resetsAt: number; used: number }>();
  const ts: number[] = [];
  const cols: Record<(typeof CHART_WINDOWS)[number], (number | null)[]> = { five_hour: [], seven_day: [] };
  const push = (t: number): void => {
    ts.push(t);
    for (const w of CHART_WINDOWS) {
      const s = state.get(w);
      cols[w].push(s && s.resetsAt > t ? s.used : null);
    }
  };
  const ordered = [...readings].sort((a, b) => a.observedAt - b.observedAt);
  for (const r of ordered) {
    // A reset passed since the last reading: the drop to "unknown" is a point of its own.
    for (const w of CHART_WINDOWS) {
      const s = state.get(w);
      if (s && s.resetsAt <= r.observedAt && s.resetsAt > (ts.at(-1) ?? -Infinity)) push(s.resetsAt);
    }
    const s = state.get(r.window);
    if (!s || r.resetsAt > s.resetsAt) state.set(r.window, { resetsAt: r.resetsAt, used: r.usedPercentage });
    // An older window reported late by an idle session changes nothing; the same window only grows.
    else if (r.resetsAt === s.resetsAt) s.used = Math.max(s.used, r.usedPercentage);
    if (ts.at(-1) === r.observedAt) {
      ts.pop();
      for (const w of CHART_WINDOWS) cols[w].pop();
    }
    push(r.observedAt);
  }
  if (ts.length === 0) return { ts, fiveHour: [], sevenDay: [] };
  const resets = [...state.values()].map((x) => x.resetsAt).filter((t) => t > ts.at(-1)! && t < now);
  for (const t of resets.sort((a, b) => a - b)) push(t);
  if (now > ts.at(-1)!) push(now);
  return { ts, fiveHour: cols.five_hour, sevenDay: cols.seven_day };
}

/** Null while no status-line call has recorded anything; a busy or unreadable limits.db reads as that too, so
 * the live figures never fail over the history. */
export function officialLimits(db: Db | null, now: number, days = 7): OfficialLimits | null {
  if (!db) return null;
  try {
    return read(db, now, days);
  } catch {
    return null;
  }
}

function read(db: Db, now: number, days: number): OfficialLimits | null {
  const windows = currentReadings(db, now - 35 * DAY_MS).map((r) => ({ ...r, current: r.resetsAt > now }));
  const readings = readingsSince(db, now - days * DAY_MS, CHART_WINDOWS);
  if (windows.length === 0 && readings.length === 0) return null;
  return { windows, series: limitSeries(readings, now) };
}
