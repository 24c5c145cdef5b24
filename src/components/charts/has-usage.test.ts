// A chart of zeros and gaps has nothing to draw; one value is enough.
import { describe, expect, it } from 'vitest';
import { hasUsage } from './has-usage.ts';

describe('hasUsage', () => {
  it('is false for no series, empty series, zeros and gaps', () => {
    expect(hasUsage({ values: [] })).toBe(false);
    expect(hasUsage({ values: [[], []] })).toBe(false);
    expect(
      hasUsage({
        values: [
          [0, 0],
          [null, 0],
        ],
      }),
    ).toBe(false);
  });

  it('is true with one value in any series', () => {
    expect(
      hasUsage({
        values: [
          [0, 0],
          [null, 0.01],
        ],
      }),
    ).toBe(true);
    expect(hasUsage({ values: [[3]] })).toBe(true);
  });
});
