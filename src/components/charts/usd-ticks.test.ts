import { describe, expect, it } from 'vitest';
import { usdTicks } from './usd-ticks.ts';

describe('usdTicks', () => {
  it('shows each tick exactly: cents, extra decimals only where the step needs them', () => {
    expect(usdTicks([0, 0.025, 0.05, 0.075, 0.1], 0.025)).toEqual([
      '$0.00',
      '$0.025',
      '$0.05',
      '$0.075',
      '$0.10',
    ]);
    expect(usdTicks([0, 0.5, 1, 1.5], 0.5)).toEqual(['$0.00', '$0.50', '$1.00', '$1.50']);
    expect(usdTicks([0, 20, 40], 20)).toEqual(['$0', '$20', '$40']);
    expect(usdTicks([0, 2000, 4000], 2000)).toEqual(['$0', '$2K', '$4K']);
  });
});
