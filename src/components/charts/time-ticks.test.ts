// Time-axis labels: clock times within a day, the date where a day begins, dates and years for long spans, all
// in the page's timezone.
import { describe, expect, it } from 'vitest';
import { TIME_TICK_STEPS, tickSteps, timeTicks } from './time-ticks.ts';

const at = (iso: string) => Date.parse(iso) / 1000;

describe('timeTicks', () => {
  it('labels a session of minutes with clock times and its date once', () => {
    const ticks = [at('2026-11-30T18:41:00Z'), at('2026-11-30T18:43:00Z'), at('2026-11-30T18:45:00Z')];
    expect(timeTicks(ticks, 120, 'UTC')).toEqual(['18:41\nNov 30', '18:43', '18:45']);
    expect(timeTicks(ticks, 120, 'Asia/Tokyo')).toEqual(['03:41\nDec 1', '03:43', '03:45']);
  });

  it('repeats the date where a day changes in the timezone', () => {
    const ticks = [at('2026-03-01T22:00:00Z'), at('2026-03-02T00:00:00Z'), at('2026-03-02T02:00:00Z')];
    expect(timeTicks(ticks, 7200, 'UTC')).toEqual(['22:00\nMar 1', '00:00\nMar 2', '02:00']);
    expect(timeTicks(ticks, 7200, 'America/New_York')).toEqual(['17:00\nMar 1', '19:00', '21:00']);
  });

  it('labels long spans with dates, and the year where it changes', () => {
    const ticks = [at('2025-12-01T00:00:00Z'), at('2026-01-01T00:00:00Z'), at('2026-02-01T00:00:00Z')];
    expect(timeTicks(ticks, 30 * 86400, 'UTC')).toEqual(['Dec 1\n2025', 'Jan 1\n2026', 'Feb 1']);
  });
});

describe('tickSteps', () => {
  it('gives a per-day axis whole days, weeks, months and years, never hours', () => {
    const steps = tickSteps('day');
    expect(steps[0]).toBe(86_400);
    expect(steps.every((s) => s >= 86_400 && s % 86_400 === 0)).toBe(true);
    expect(steps).toContain(7 * 86_400);
  });

  it('gives a time axis every step from a minute up', () => {
    expect(tickSteps('time')).toEqual(TIME_TICK_STEPS);
    expect(tickSteps('time')[0]).toBe(60);
  });
});
