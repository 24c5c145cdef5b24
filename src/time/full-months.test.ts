import { describe, expect, it } from 'vitest';
import { fullMonths } from './full-months.ts';

describe('fullMonths', () => {
  it('takes the months wholly inside the range', () => {
    expect(fullMonths('2025-11-17', '2026-11-16')).toEqual(['2025-12', '2026-10']);
    expect(fullMonths('2026-02-01', '2026-03-31')).toEqual(['2026-02', '2026-03']);
    expect(fullMonths('2026-02-25', '2026-03-31')).toEqual(['2026-03', '2026-03']);
  });

  it('knows the months’ lengths, leap years included', () => {
    expect(fullMonths('2024-02-01', '2024-02-29')).toEqual(['2024-02', '2024-02']);
    expect(fullMonths('2026-02-01', '2026-02-28')).toEqual(['2026-02', '2026-02']);
    expect(fullMonths('2024-02-01', '2024-02-28')).toBeUndefined();
    expect(fullMonths('2026-04-01', '2026-04-30')).toEqual(['2026-04', '2026-04']);
  });

  it('crosses years and has none when no month fits', () => {
    expect(fullMonths('2025-12-01', '2026-01-31')).toEqual(['2025-12', '2026-01']);
    expect(fullMonths('2025-12-02', '2026-01-30')).toBeUndefined();
    expect(fullMonths('2026-03-10', '2026-03-12')).toBeUndefined();
    expect(fullMonths('2026-03-31', '2026-03-01')).toBeUndefined();
  });
});
