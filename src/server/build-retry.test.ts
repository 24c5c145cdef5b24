// The retry schedule with real timers and short delays: each failure waits the next delay (the last one
// repeats), a success resets the sequence and cancels a pending attempt.
import { describe, expect, it } from 'vitest';
import { createBuildRetry } from './build-retry.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createBuildRetry', () => {
  it('waits 30 s, 2 min, then 10 min between attempts by default', () => {
    let t = 0;
    const retry = createBuildRetry(
      () => {},
      undefined,
      () => t,
    );
    const waits = [0, 1, 2, 3].map(() => retry.failed() - t);
    retry.stop();
    expect(waits).toEqual([30_000, 120_000, 600_000, 600_000]);
  });

  it('runs the build after each delay until it succeeds, then starts again from the first delay', async () => {
    const attempts: number[] = [];
    const started = Date.now();
    const retry = createBuildRetry(() => attempts.push(Date.now() - started), [40, 120]);
    retry.failed();
    await sleep(80);
    expect(attempts).toHaveLength(1);
    expect(retry.nextAt).toBeNull();
    retry.failed();
    await sleep(60);
    expect(attempts).toHaveLength(1); // the second delay is longer
    await sleep(100);
    expect(attempts).toHaveLength(2);
    retry.succeeded();
    const next = retry.failed();
    expect(next - Date.now()).toBeLessThanOrEqual(40);
    retry.succeeded();
    await sleep(80);
    expect(attempts).toHaveLength(2); // the success cancelled it
    expect(retry.nextAt).toBeNull();
  });
});
