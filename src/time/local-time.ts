// Calendar buckets (day, hour) of an instant in an IANA timezone, computed from the zone's UTC offset.
// UTC and its aliases need no Intl at all (building a zone formatter loads ICU's timezone data: 30–80 ms on a
// small VM). Other zones ask Intl for the offset once per UTC day boundary: where a day starts and ends at the
// same offset, every instant of it has that offset (no zone in the tz database has changed its offset twice in
// one day and back since the 1940s; a test checks every transition of 2020–2030 in zones with odd ones); a day with a transition is resolved per 15-minute slot, since every real zone's offsets
// and transitions fall on whole quarter hours. A year of messages costs ~370 Intl calls instead of one each.
export interface LocalTime {
  day: string;
  hour: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const SLOT_MS = 15 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const CACHE_LIMIT = 200_000;

/** Names ICU resolves to UTC itself (a fixed zero offset). */
const UTC_ZONES = new Set([
  'UTC',
  'Etc/UTC',
  'UCT',
  'Etc/UCT',
  'Universal',
  'Etc/Universal',
  'Zulu',
  'Etc/Zulu',
  'GMT',
  'Etc/GMT',
  'GMT0',
  'Etc/GMT0',
  'GMT+0',
  'Etc/GMT+0',
  'GMT-0',
  'Etc/GMT-0',
  'Greenwich',
  'Etc/Greenwich',
]);

/** The zone's offset from UTC in minutes at an instant, straight from Intl (one call each time). */
export function makeIntlOffset(timezone: string): (tsMs: number) => number {
  let format: Intl.DateTimeFormat | undefined;
  return (tsMs: number): number => {
    format ??= new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const minute = Math.floor(tsMs / MINUTE_MS) * MINUTE_MS;
    const p: Record<string, string> = {};
    for (const part of format.formatToParts(minute)) p[part.type] = part.value;
    const wall = Date.UTC(
      Number(p.year),
      Number(p.month) - 1,
      Number(p.day),
      Number(p.hour),
      Number(p.minute),
    );
    return (wall - minute) / MINUTE_MS;
  };
}

/** The offset in minutes at an instant, with Intl asked once per UTC day boundary (see the head comment). */
export function makeOffset(timezone: string): (tsMs: number) => number {
  if (UTC_ZONES.has(timezone)) return () => 0;
  const intl = makeIntlOffset(timezone);
  const boundaries = new Map<number, number>();
  /** Per UTC day: its one offset, or NaN when it changes during the day. */
  const days = new Map<number, number>();
  const slots = new Map<number, number>();
  const atBoundary = (day: number): number => {
    let o = boundaries.get(day);
    if (o === undefined) boundaries.set(day, (o = intl(day * DAY_MS)));
    return o;
  };
  return (tsMs: number): number => {
    const day = Math.floor(tsMs / DAY_MS);
    let o = days.get(day);
    if (o === undefined) {
      const start = atBoundary(day);
      o = start === atBoundary(day + 1) ? start : NaN;
      if (days.size > CACHE_LIMIT) (days.clear(), boundaries.clear());
      days.set(day, o);
    }
    if (!Number.isNaN(o)) return o;
    const slot = Math.floor(tsMs / SLOT_MS);
    let s = slots.get(slot);
    if (s === undefined) {
      if (slots.size > CACHE_LIMIT) slots.clear();
      slots.set(slot, (s = intl(slot * SLOT_MS)));
    }
    return s;
  };
}

export function makeLocalTime(timezone: string): (tsMs: number) => LocalTime {
  const offset = makeOffset(timezone);
  const names = new Map<number, string>();
  return (tsMs: number): LocalTime => {
    const local = tsMs + offset(tsMs) * MINUTE_MS;
    const dayNo = Math.floor(local / DAY_MS);
    let day = names.get(dayNo);
    if (day === undefined) {
      day = new Date(dayNo * DAY_MS).toISOString().slice(0, 10);
      if (names.size > CACHE_LIMIT) names.clear();
      names.set(dayNo, day);
    }
    return { day, hour: Math.floor((local - dayNo * DAY_MS) / HOUR_MS) };
  };
}
