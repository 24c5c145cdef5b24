// The limit line is drawn within the usage's scale only; a percent chart always has it.
import { describe, expect, it } from 'vitest';
import { limitInView } from './limit-in-view.ts';

describe('limitInView', () => {
  it('draws a limit the usage reaches or nearly reaches', () => {
    expect(limitInView(1000, 'tokens', [[200, 1200]])).toBe(true);
    expect(limitInView(1000, 'tokens', [[null, 800]])).toBe(true);
  });

  it('leaves out a limit far above the usage, so the axis stays on the usage', () => {
    expect(limitInView(3_000_000, 'tokens', [[10_000, 120_000]])).toBe(false);
    expect(limitInView(1000, 'tokens', [[799]])).toBe(false);
  });

  it('reads the top of every drawn column, nulls as nothing', () => {
    expect(limitInView(1000, 'tokens', [[10], [null, 900]])).toBe(true);
  });

  it('has no usage to measure against when every value is zero or missing', () => {
    expect(limitInView(1000, 'tokens', [[0, null]])).toBe(false);
    expect(limitInView(1000, 'tokens', [])).toBe(false);
  });

  it('always draws a limit in percent', () => {
    expect(limitInView(90, 'percent', [[3, 5]])).toBe(true);
  });
});
