import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tempDir } from '../../../test/fixtures/fixture-tree.ts';
import type { LimitWindow, PromptCache } from '../../statusline/status-input.ts';
import { currentReading, currentReadings, readingsSince } from './limit-readings.ts';
import { openLimitsReader, openLimitsWriter } from './open-limits.ts';
import type { Observation } from './record-observation.ts';
import { recordObservation } from '../../../test/fixtures/record-observation.ts';

const H = 3_600_000;
const t0 = Date.parse('2026-12-03T10:00:00Z');
const win = (
  usedPercentage: number,
  resetsAt = t0 + 3 * H,
  extra: Partial<LimitWindow> = {},
): LimitWindow => ({
  usedPercentage,
  resetsAt,
  usedUsd: null,
  limitUsd: null,
  period: null,
  ...extra,
});
const cache = (requests: number, warm = true): PromptCache => ({
  warm,
  cachingObserved: true,
  ttl: '5m',
  expiresAt: t0 + 5 * 60_000,
  requests,
  misses: 0,
  expectedRebuilds: 0,
  hitRatio: 0.9,
  cacheWriteTokens: 1000,
  missRecacheTokens: 0,
  lastMissAt: null,
  lastMissCauses: [],
});
const obs = (o: Partial<Observation>): Observation => ({
  sessionId: 's1',
  rateLimits: {},
  promptCache: null,
  at: t0,
  ...o,
});

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
async function store() {
  const dir = tempDir('ctm-limits-');
  dirs.push(dir);
  return { dir, db: await openLimitsWriter(dir, Date.now() + 5000) };
}
const rows = (dir: string) => {
  const db = openLimitsReader(dir)!;
  try {
    return {
      limits: db
        .prepare('SELECT window_name, used_percentage, session_id FROM rate_limits ORDER BY id')
        .all(),
      cache: db.prepare('SELECT session_id, requests, warm FROM prompt_cache ORDER BY id').all(),
    };
  } finally {
    db.close();
  }
};

describe('recordObservation', () => {
  it('records a reading once, however often and by whichever session it is seen again', async () => {
    const { dir, db } = await store();
    const seen = { five_hour: win(41), seven_day: win(63, t0 + 90 * H) };
    expect(recordObservation(db, obs({ rateLimits: seen }), Date.now() + 1000)).toBe(2);
    expect(recordObservation(db, obs({ rateLimits: seen, at: t0 + 60_000 }), Date.now() + 1000)).toBe(0);
    expect(recordObservation(db, obs({ rateLimits: seen, sessionId: 's2' }), Date.now() + 1000)).toBe(0);
    expect(
      recordObservation(db, obs({ rateLimits: { ...seen, five_hour: win(42) } }), Date.now() + 1000),
    ).toBe(1);
    db.close();
    expect(rows(dir).limits).toEqual([
      { window_name: 'five_hour', used_percentage: 41, session_id: 's1' },
      { window_name: 'seven_day', used_percentage: 63, session_id: 's1' },
      { window_name: 'five_hour', used_percentage: 42, session_id: 's1' },
    ]);
  });

  it('a new window (a reset) is a new reading even at the same use', async () => {
    const { db } = await store();
    recordObservation(db, obs({ rateLimits: { five_hour: win(0) } }), Date.now() + 1000);
    expect(
      recordObservation(db, obs({ rateLimits: { five_hour: win(0, t0 + 8 * H) } }), Date.now() + 1000),
    ).toBe(1);
    db.close();
  });

  it('a spend limit is new when its dollars change, and an unreported figure is one value', async () => {
    const { db } = await store();
    const spend = (usedUsd: number | null) =>
      obs({
        rateLimits: {
          spend_limit: win(8, t0 + 400 * H, { usedUsd, limitUsd: usedUsd && 200, period: 'monthly' }),
        },
      });
    expect(recordObservation(db, spend(16.2), Date.now() + 1000)).toBe(1);
    expect(recordObservation(db, spend(16.4), Date.now() + 1000)).toBe(1);
    expect(recordObservation(db, spend(null), Date.now() + 1000)).toBe(1);
    expect(recordObservation(db, spend(null), Date.now() + 1000)).toBe(0);
    db.close();
  });

  it('the prompt cache: a row per request and when it goes cold, per session', async () => {
    const { dir, db } = await store();
    const deadline = Date.now() + 1000;
    expect(recordObservation(db, obs({ promptCache: cache(1) }), deadline)).toBe(1);
    expect(recordObservation(db, obs({ promptCache: cache(1) }), deadline)).toBe(0);
    expect(recordObservation(db, obs({ promptCache: cache(1, false) }), deadline)).toBe(1);
    expect(recordObservation(db, obs({ promptCache: cache(2) }), deadline)).toBe(1);
    expect(recordObservation(db, obs({ promptCache: cache(1), sessionId: 's2' }), deadline)).toBe(1);
    // Without a session id a cache state belongs to nobody: not recorded.
    expect(recordObservation(db, obs({ promptCache: cache(3), sessionId: null }), deadline)).toBe(0);
    db.close();
    expect(rows(dir).cache).toEqual([
      { session_id: 's1', requests: 1, warm: 1 },
      { session_id: 's1', requests: 1, warm: 0 },
      { session_id: 's1', requests: 2, warm: 1 },
      { session_id: 's2', requests: 1, warm: 1 },
    ]);
  });

  it('the current reading is the latest window at its highest use, whatever order sessions report in', async () => {
    const { dir, db } = await store();
    const d = Date.now() + 1000;
    recordObservation(db, obs({ rateLimits: { five_hour: win(40) }, at: t0 }), d);
    recordObservation(db, obs({ rateLimits: { five_hour: win(44) }, at: t0 + 60_000 }), d);
    // A session idle since before the 44 % reading reports its older figure.
    recordObservation(db, obs({ rateLimits: { five_hour: win(42) }, at: t0 + 120_000, sessionId: 's2' }), d);
    recordObservation(db, obs({ rateLimits: { seven_day: win(60, t0 + 90 * H) }, at: t0 }), d);
    db.close();
    const r = openLimitsReader(dir)!;
    expect(currentReading(r, 'five_hour')).toMatchObject({ usedPercentage: 44, observedAt: t0 + 60_000 });
    expect(currentReading(r, 'spend_limit')).toBeNull();
    expect(currentReadings(r, t0).map((x) => [x.window, x.usedPercentage])).toEqual([
      ['five_hour', 44],
      ['seven_day', 60],
    ]);
    expect(readingsSince(r, t0 + 1, ['five_hour']).map((x) => x.usedPercentage)).toEqual([44, 42]);
    r.close();
  });

  it('no reader before anything was recorded', async () => {
    const dir = tempDir('ctm-limits-');
    dirs.push(dir);
    expect(openLimitsReader(dir)).toBeNull();
  });

  it('ten processes recording at once into a new store: every reading once, none lost', async () => {
    const dir = tempDir('ctm-limits-');
    dirs.push(dir);
    const url = (p: string) => JSON.stringify(new URL(p, import.meta.url).href);
    // Each process records its own reading and one all of them share, as sessions of one account do.
    const script = (i: number) => `
      import { openLimitsWriter } from ${url('./open-limits.ts')};
      import { recordObservation } from ${url('../../../test/fixtures/record-observation.ts')};
      const deadline = Date.now() + 3000;
      const db = await openLimitsWriter(${JSON.stringify(dir)}, deadline);
      const w = (used) => ({ usedPercentage: used, resetsAt: ${t0 + 3 * H}, usedUsd: null, limitUsd: null, period: null });
      const n = recordObservation(db, { sessionId: 's${i}', at: ${t0} + ${i}, promptCache: null,
        rateLimits: { five_hour: w(${10 + i}), seven_day: w(50) } }, deadline);
      process.stdout.write(String(n));`;
    const runs = await Promise.all(
      Array.from(
        { length: 10 },
        (_, i) =>
          new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
            const child = spawn(process.execPath, ['--input-type=module', '-e', script(i)]);
            let out = '';
            let err = '';
            child.stdout.on('data', (b) => (out += b));
            child.stderr.on('data', (b) => (err += b));
            child.on('close', (code) => resolve({ code, out, err }));
          }),
      ),
    );
    expect(runs.map((r) => [r.code, r.err])).toEqual(Array.from({ length: 10 }, () => [0, '']));
    // Ten own readings plus the shared one, which exactly one process added.
    expect(runs.reduce((n, r) => n + Number(r.out), 0)).toBe(11);
    const { limits } = rows(dir);
    expect(limits).toHaveLength(11);
    const five = limits.filter((r) => (r as { window_name: string }).window_name === 'five_hour');
    expect(five.map((r) => (r as { used_percentage: number }).used_percentage).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 10 }, (_, i) => 10 + i),
    );
  });
});
