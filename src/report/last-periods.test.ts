// `--last N` of the period reports: the first day of the N calendar periods ending with the current one.
import { describe, expect, it } from 'vitest';
import { lastPeriodsStart } from './last-periods.ts';

describe('lastPeriodsStart', () => {
  it.each<[Parameters<typeof lastPeriodsStart>, string]>([
    [['day', 1, '2026-03-01'], '2026-03-01'],
    [['day', 2, '2026-03-01'], '2026-02-28'],
    [['day', 366, '2028-12-31'], '2028-01-01'],
    // 2026-03-04 is a Wednesday.
    [['week', 1, '2026-03-04'], '2026-03-01'],
    [['week', 1, '2026-03-04', 1], '2026-03-02'],
    [['week', 1, '2026-03-04', 3], '2026-03-04'],
    [['week', 1, '2026-03-04', 4], '2026-02-26'],
    [['week', 3, '2026-03-01'], '2026-02-15'],
    [['month', 1, '2026-03-31'], '2026-03-01'],
    [['month', 3, '2026-02-10'], '2025-12-01'],
    [['month', 12, '2026-12-03'], '2026-01-01'],
    [['month', 13, '2026-12-03'], '2025-12-01'],
  ])('%j → %s', (args, start) => {
    expect(lastPeriodsStart(...args)).toBe(start);
  });
});
