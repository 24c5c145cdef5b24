// Requests per second per token (CTM_INGEST_RATE): a token bucket per machine that refills continuously and
// holds two seconds' worth, so an agent catching up in batches runs at the rate and a burst after a pause is
// let through. A refused request learns how long until the next one would pass (the 429's Retry-After).

export interface RateLimiter {
  /** 0 when the request may pass (and is counted), else the seconds to wait before the next would. */
  take(machine: string, now?: number): number;
}

export function createRateLimiter(perSecond: number, burstSeconds = 2): RateLimiter {
  const capacity = Math.max(1, perSecond * burstSeconds);
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(machine, now = Date.now()) {
      let b = buckets.get(machine);
      if (!b) buckets.set(machine, (b = { tokens: capacity, at: now }));
      b.tokens = Math.min(capacity, b.tokens + ((now - b.at) / 1000) * perSecond);
      b.at = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
    },
  };
}
