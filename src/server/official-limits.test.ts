import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { tempDir } from '../../test/fixtures/fixture-tree.ts';
import type { LimitReading } from '../db/limits/limit-readings.ts';
import { openLimitsReader, openLimitsWriter } from '../db/limits/open-limits.ts';
import { recordObservation } from '../../test/fixtures/record-observation.ts';
import { limitSeries, officialLimits } from './official-limits.ts';

const M = 60_000;
const t0 = Date.parse('2026-12-03T10:00:00Z');
const reading = (window: string, used: number, resetsAt: number, observedAt: number): LimitReading => ({
  window,
  usedPercentage: used,
  resetsAt,
  observedAt,
  usedUsd: null,
  limitUsd: null,
  period: null,
});

describe('limitSeries', () => {
  it('each window carried forward, the highest use of its latest window, unknown after its reset', () => {
    const five = t0 + 60 * M;
    const week = t0 + 5 * 24 * 60 * M;
    const s = limitSeries(
      [
        reading('five_hour', 10, five, t0),
        reading('seven_day', 40, week, t0 + 1 * M),
        reading('five_hour', 20, five, t0 + 10 * M),
        // An idle session reports the same window's older, lower figure: no change.
        reading('five_hour', 15, five, t0 + 20 * M),
        // The next window, after the reset at t0 + 60 min.
        reading('five_hour', 2, five + 300 * M, t0 + 90 * M),
      ],
      t0 + 100 * M,
    );
    expect(s.ts.map((t) => (t - t0) / M)).toEqual([0, 1, 10, 20, 60, 90, 100]);
    expect(s.fiveHour).toEqual([10, 10, 20, 20, null, 2, 2]);
    expect(s.sevenDay).toEqual([null, 40, 40, 40, 40, 40, 40]);
  });

  it('nothing recorded: empty columns', () => {
    expect(limitSeries([], t0)).toEqual({ ts: [], fiveHour: [], sevenDay: [] });
  });
});

describe('officialLimits', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('reads limits.db: the current windows, whether their reset is ahead, and the series', async () => {
    const dir = tempDir('ctm-official-');
    dirs.push(dir);
    const w = await openLimitsWriter(dir, Date.now() + 2000);
    const win = (usedPercentage: number, resetsAt: number) => ({
      usedPercentage,
      resetsAt,
      usedUsd: null,
      limitUsd: null,
      period: null,
    });
    recordObservation(
      w,
      {
        sessionId: 's',
        at: t0,
        promptCache: null,
        rateLimits: { five_hour: win(30, t0 + 60 * M), seven_day: win(50, t0 + 3 * 1440 * M) },
      },
      Date.now() + 1000,
    );
    w.close();
    const db = openLimitsReader(dir);
    const o = officialLimits(db, t0 + 90 * M)!;
    expect(o.windows.map((x) => [x.window, x.usedPercentage, x.current])).toEqual([
      ['five_hour', 30, false],
      ['seven_day', 50, true],
    ]);
    expect(o.series.fiveHour).toEqual([30, null, null]);
    db!.close();
    expect(officialLimits(null, t0)).toBeNull();
  });
});
