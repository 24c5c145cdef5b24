import { expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.ts';

it('lets a token send its rate with two seconds of burst, each token on its own, and says how long to wait', () => {
  const limiter = createRateLimiter(5);
  const t0 = 1_000_000;
  for (let i = 0; i < 10; i++) expect(limiter.take('a', t0)).toBe(0);
  expect(limiter.take('a', t0)).toBe(1);
  expect(limiter.take('b', t0)).toBe(0);
  // 200 ms refill one request at 5 per second.
  expect(limiter.take('a', t0 + 200)).toBe(0);
  expect(limiter.take('a', t0 + 200)).toBe(1);
  expect(limiter.take('a', t0 + 60_000)).toBe(0);
});
