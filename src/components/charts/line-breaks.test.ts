// A line breaks across a missing period on a day or hour axis, never between the instants of a time axis.
import { describe, expect, it } from 'vitest';
import { lineBreaks } from './line-breaks.ts';
import { dayToX } from './chart-spec.ts';

const days = (...d: string[]) => d.map(dayToX);

describe('lineBreaks', () => {
  it('breaks a per-day line where days are missing, not between consecutive days', () => {
    expect(lineBreaks(days('2026-03-01', '2026-03-02', '2026-03-03'), 'day')).toEqual([]);
    expect(lineBreaks(days('2026-03-01', '2026-03-02', '2026-03-05', '2026-03-06'), 'day')).toEqual([2]);
  });

  it('keeps months of 28 to 31 days joined and breaks across a month without usage', () => {
    const months = days('2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01');
    expect(lineBreaks(months, 'day')).toEqual([]);
    expect(lineBreaks(days('2026-01-01', '2026-02-01', '2026-04-01', '2026-05-01'), 'day')).toEqual([2]);
  });

  it('breaks weeks apart by more than a week', () => {
    expect(lineBreaks(days('2026-03-02', '2026-03-09', '2026-03-30'), 'day')).toEqual([2]);
  });

  it('never breaks a time axis: a running total or a held reading joins requests minutes or days apart', () => {
    const requests = [0, 2, 3, 60, 61, 3600, 86_400 * 3];
    expect(lineBreaks(requests, 'time')).toEqual([]);
  });

  it('has nothing to break with fewer than three rows of one step', () => {
    expect(lineBreaks([], 'day')).toEqual([]);
    expect(lineBreaks(days('2026-03-01'), 'day')).toEqual([]);
    expect(lineBreaks(days('2026-03-01', '2026-03-09'), 'day')).toEqual([]);
  });
});
