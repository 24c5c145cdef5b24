import { describe, expect, it } from 'vitest';
import { makeLocalTime } from './local-time.ts';

describe('makeLocalTime', () => {
  it.each([
    ['UTC', '2026-03-01T23:30:00Z', '2026-03-01', 23],
    ['Asia/Tokyo', '2026-03-01T23:30:00Z', '2026-03-02', 8],
    ['America/Los_Angeles', '2026-03-01T05:00:00Z', '2026-02-28', 21],
    ['Asia/Kolkata', '2026-03-01T18:29:00Z', '2026-03-01', 23],
    ['Asia/Kolkata', '2026-03-01T18:30:00Z', '2026-03-02', 0],
    ['Asia/Kathmandu', '2026-03-01T18:15:00Z', '2026-03-02', 0],
    // DST in Berlin: 2026-03-29 01:00Z clocks jump from 02:00 to 03:00
    ['Europe/Berlin', '2026-03-29T00:59:00Z', '2026-03-29', 1],
    ['Europe/Berlin', '2026-03-29T01:00:00Z', '2026-03-29', 3],
  ])('%s %s → %s %d', (tz, iso, day, hour) => {
    expect(makeLocalTime(tz)(Date.parse(iso))).toEqual({ day, hour });
  });
});
