// Retries a failed site build with backoff (30 s, 2 min, 10 min, then every 10 min) until one succeeds, so a
// first build that failed does not leave the "Building…" page up until the next cron slot. Any successful
// build, scheduled or not, ends the retries; the delays are an option so tests need not wait minutes.
export const BUILD_RETRY_DELAYS_MS: readonly number[] = [30_000, 120_000, 600_000];

export interface BuildRetry {
  /** A build failed: schedule the next attempt; returns when it will run. */
  failed(): number;
  succeeded(): void;
  stop(): void;
  /** When the next attempt runs, or null while none is scheduled. */
  readonly nextAt: number | null;
}

export function createBuildRetry(
  build: () => unknown,
  delaysMs: readonly number[] = BUILD_RETRY_DELAYS_MS,
  now: () => number = Date.now,
): BuildRetry {
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let nextAt: number | null = null;
  const clear = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    nextAt = null;
  };
  return {
    failed() {
      clear();
      const delay = delaysMs[Math.min(failures, delaysMs.length - 1)]!;
      failures++;
      nextAt = now() + delay;
      timer = setTimeout(() => {
        timer = undefined;
        nextAt = null;
        void build();
      }, delay);
      timer.unref();
      return nextAt;
    },
    succeeded() {
      failures = 0;
      clear();
    },
    stop: clear,
    get nextAt() {
      return nextAt;
    },
  };
}
