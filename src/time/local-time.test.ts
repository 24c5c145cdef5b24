import { describe, expect, it } from 'vitest';
import { makeIntlOffset, makeLocalTime } from './local-time.ts';

/** Intl's own answer for one instant: the reference the cached arithmetic must always agree with. */
const formats = new Map<string, Intl.DateTimeFormat>();
function intlLocalTime(timezone: string, tsMs: number): { day: string; hour: number } {
  const p: Record<string, string> = {};
  let format = formats.get(timezone);
  if (!format)
    formats.set(
      timezone,
      (format = new Intl.DateTimeFormat('en-CA', {
        timeZone: timezone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        hourCycle: 'h23',
      })),
    );
  for (const part of format.formatToParts(tsMs)) p[part.type] = part.value;
  return { day: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour) };
}

describe('makeLocalTime', () => {
  it.each([
    ['UTC', '2026-03-01T23:30:00Z', '2026-03-01', 23],
    ['Etc/UTC', '2026-12-31T23:59:59.999Z', '2026-12-31', 23],
    ['Asia/Tokyo', '2026-03-01T23:30:00Z', '2026-03-02', 8],
    ['America/Los_Angeles', '2026-03-01T05:00:00Z', '2026-02-28', 21],
    ['Asia/Kolkata', '2026-03-01T18:29:00Z', '2026-03-01', 23],
    ['Asia/Kolkata', '2026-03-01T18:30:00Z', '2026-03-02', 0],
    ['Asia/Kathmandu', '2026-03-01T18:15:00Z', '2026-03-02', 0],
    // DST in Berlin: 2026-03-29 01:00Z clocks jump from 02:00 to 03:00
    ['Europe/Berlin', '2026-03-29T00:59:00Z', '2026-03-29', 1],
    ['Europe/Berlin', '2026-03-29T01:00:00Z', '2026-03-29', 3],
    // and back on 2026-10-25 01:00Z: 02:59 CEST, then 02:00 CET
    ['Europe/Berlin', '2026-10-25T00:59:00Z', '2026-10-25', 2],
    ['Europe/Berlin', '2026-10-25T01:00:00Z', '2026-10-25', 2],
  ])('%s %s → %s %d', (tz, iso, day, hour) => {
    expect(makeLocalTime(tz)(Date.parse(iso))).toEqual({ day, hour });
  });

  it.each(['UTC', 'Etc/GMT', 'Zulu', 'Etc/Greenwich'])('%s needs no Intl and agrees with it', (tz) => {
    const local = makeLocalTime(tz);
    for (let ts = Date.UTC(2025, 0, 1); ts < Date.UTC(2026, 0, 1); ts += 7 * 3_600_000 + 13_000)
      expect(local(ts)).toEqual(intlLocalTime(tz, ts));
  });

  // Zones with half- and three-quarter-hour offsets, half-hour DST shifts, southern-hemisphere DST, a zone whose
  // transitions fall at local midnight and one that changed its base offset.
  const zones = [
    'Europe/Berlin',
    'America/New_York',
    'America/St_Johns',
    'Australia/Lord_Howe',
    'Australia/Adelaide',
    'Pacific/Chatham',
    'America/Santiago',
    'America/Havana',
    'Africa/Casablanca',
    'Asia/Tehran',
    'America/Asuncion',
  ];

  it.each(zones)('%s: every 15-minute slot around each transition of 2020–2030 agrees with Intl', (tz) => {
    const offset = makeIntlOffset(tz);
    const local = makeLocalTime(tz);
    const transitions: number[] = [];
    for (let day = Date.UTC(2020, 0, 1); day < Date.UTC(2030, 11, 31); day += 86_400_000)
      if (offset(day) !== offset(day + 86_400_000)) transitions.push(day);
    expect(transitions.length).toBeGreaterThan(0);
    for (const day of transitions) {
      for (let ts = day - 86_400_000; ts < day + 2 * 86_400_000; ts += 15 * 60_000) {
        expect(local(ts)).toEqual(intlLocalTime(tz, ts));
        expect(local(ts + 14 * 60_000 + 59_999)).toEqual(intlLocalTime(tz, ts + 14 * 60_000 + 59_999));
      }
    }
  });

  it.each([...zones, 'Asia/Tokyo', 'Asia/Kolkata', 'Asia/Kathmandu'])(
    '%s: spread instants of 2024–2027 agree with Intl',
    (tz) => {
      const local = makeLocalTime(tz);
      // A fixed pseudo-random walk (no seed needed: the steps are deterministic), coarse enough to stay fast.
      let ts = Date.UTC(2024, 0, 1);
      while (ts < Date.UTC(2028, 0, 1)) {
        expect(local(ts)).toEqual(intlLocalTime(tz, ts));
        ts += 5 * 3_600_000 + ((ts / 1000) % 7919) * 1000;
      }
    },
  );
});
