// How long an agent waits before trying a hub again: exponential, capped, with full jitter (a random wait up to
// the exponential bound), so agents cut off together do not come back together; never less than the hub's
// Retry-After.
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const PUSH_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

export function backoffMs(
  attempt: number,
  retryAfterMs: number | null,
  o: BackoffOptions = PUSH_BACKOFF,
  random: () => number = Math.random,
): number {
  const bound = Math.min(o.maxMs, o.baseMs * 2 ** Math.min(attempt, 30));
  const wait = Math.round(random() * bound);
  return Math.max(wait, retryAfterMs ?? 0, 50);
}
