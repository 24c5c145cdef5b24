import { describe, expect, it } from 'vitest';
import { plural } from './plural.ts';

describe('plural', () => {
  it.each([
    [0, 'session', '0 sessions'],
    [1, 'session', '1 session'],
    [2, 'session', '2 sessions'],
    [1, 'snapshot', '1 snapshot'],
    [12_345, 'block', '12,345 blocks'],
    [-1, 'day', '-1 days'],
  ])('%i %s → %s', (n, one, text) => {
    expect(plural(n, one)).toBe(text);
  });

  it('takes an irregular plural', () => {
    expect(plural(1, 'entry', 'entries')).toBe('1 entry');
    expect(plural(3, 'entry', 'entries')).toBe('3 entries');
  });
});
