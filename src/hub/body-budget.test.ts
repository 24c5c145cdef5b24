import { describe, expect, it } from 'vitest';
import { createBodyBudget } from './body-budget.ts';

describe('createBodyBudget', () => {
  it('reserves up to the budget, refuses past it without reserving, and takes bytes back', () => {
    const b = createBodyBudget(100);
    expect(b.take(60)).toBe(true);
    expect(b.take(40)).toBe(true);
    expect(b.take(1)).toBe(false);
    expect(b.used).toBe(100);
    b.give(60);
    expect(b.take(50)).toBe(true);
    expect(b.used).toBe(90);
    b.give(200);
    expect(b.used).toBe(0);
  });
});
