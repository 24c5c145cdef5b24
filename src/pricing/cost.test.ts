import { describe, expect, it } from 'vitest';
import { costUsd, type TokenCounts } from './cost.ts';
import { loadPricing } from './load-pricing.ts';
import { matchModel } from './match-model.ts';

const table = loadPricing();
type Rates = [input: number, output: number, write5m: number, write1h: number, read: number];

// The rates as the spec states them, USD per million tokens.
const SPEC: [string, Rates, Rates | null, number | null][] = [
  ['claude-opus-4', [15, 75, 18.75, 30, 1.5], null, null],
  ['claude-opus-4-1', [15, 75, 18.75, 30, 1.5], null, null],
  ['claude-opus-4-5', [5, 25, 6.25, 10, 0.5], null, null],
  ['claude-opus-4-6', [5, 25, 6.25, 10, 0.5], null, 6],
  ['claude-opus-4-7', [5, 25, 6.25, 10, 0.5], null, 6],
  ['claude-opus-4-8', [5, 25, 6.25, 10, 0.5], null, 2],
  ['claude-opus-5', [5, 25, 6.25, 10, 0.5], null, null],
  ['claude-sonnet-4', [3, 15, 3.75, 6, 0.3], [6, 22.5, 7.5, 12, 0.6], null],
  ['claude-sonnet-4-5', [3, 15, 3.75, 6, 0.3], [6, 22.5, 7.5, 12, 0.6], null],
  ['claude-sonnet-4-6', [3, 15, 3.75, 6, 0.3], null, null],
  ['claude-3-7-sonnet', [3, 15, 3.75, 6, 0.3], null, null],
  ['claude-sonnet-5', [2, 10, 2.5, 4, 0.2], null, null],
  ['claude-haiku-4-5', [1, 5, 1.25, 2, 0.1], null, null],
  ['claude-3-5-haiku', [0.8, 4, 1, 1.6, 0.08], null, null],
  ['claude-3-haiku', [0.25, 1.25, 0.3, 0.5, 0.03], null, null],
  ['claude-3-opus', [15, 75, 18.75, 30, 1.5], null, null],
  ['claude-fable-5', [10, 50, 12.5, 20, 1], null, null],
  // Not in the spec's table, shipped so 2024 logs are priced: Anthropic's published Claude 3.5 Sonnet rates.
  ['claude-3-5-sonnet', [3, 15, 3.75, 6, 0.3], null, null],
];

const MTOK = 1_000_000;
const one = (i: number): TokenCounts => {
  const t = { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };
  (Object.keys(t) as (keyof TokenCounts)[]).forEach((k, j) => (t[k] = j === i ? MTOK / 10 : 0));
  return t;
};

describe('the shipped price table matches the spec', () => {
  it('has exactly the spec models', () => {
    expect([...table.models.keys()].sort()).toEqual(SPEC.map(([m]) => m).sort());
    expect(table.longContextThreshold).toBe(200_000);
  });

  it.each(SPEC)('%s: %j, above 200k %j, fast ×%s', (model, rates, above, fast) => {
    const price = table.models.get(model)!;
    expect([price.input, price.output, price.cacheWrite5m, price.cacheWrite1h, price.cacheRead]).toEqual(
      rates,
    );
    // Each token kind on its own: 100k tokens cost a tenth of the per-MTok rate.
    rates.forEach((rate, i) => expect(costUsd(one(i), price, null)).toBeCloseTo(rate / 10, 10));
    if (above) {
      const a = price.above200k!;
      expect([a.input, a.output, a.cacheWrite5m, a.cacheWrite1h, a.cacheRead]).toEqual(above);
    } else expect(price.above200k).toBeUndefined();
    const tokens = { input: 1000, output: 2000, cacheWrite5m: 3000, cacheWrite1h: 4000, cacheRead: 5000 };
    const base = costUsd(tokens, price, null);
    expect(costUsd(tokens, price, 'fast')).toBeCloseTo(base * (fast ?? 1), 12);
    expect(costUsd(tokens, price, 'standard')).toBe(base);
  });
});

describe('costUsd', () => {
  const sonnet45 = table.models.get('claude-sonnet-4-5')!;
  const sonnet46 = table.models.get('claude-sonnet-4-6')!;

  it('a request at 200k total input stays at base rates; above it the whole request moves up', () => {
    const at200k = {
      input: 100_000,
      output: 10_000,
      cacheWrite5m: 50_000,
      cacheWrite1h: 0,
      cacheRead: 50_000,
    };
    expect(costUsd(at200k, sonnet45, null)).toBeCloseTo(0.3 + 0.15 + 0.1875 + 0.015, 10);
    const over = { ...at200k, cacheRead: 50_001 };
    expect(costUsd(over, sonnet45, null)).toBeCloseTo(
      (100_000 * 6 + 10_000 * 22.5 + 50_000 * 7.5 + 50_001 * 0.6) / MTOK,
      10,
    );
  });

  it('output tokens do not count toward the 200k threshold', () => {
    const t = { input: 150_000, output: 100_000, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };
    expect(costUsd(t, sonnet45, null)).toBeCloseTo((150_000 * 3 + 100_000 * 15) / MTOK, 10);
  });

  it('models without above-200k rates never change rate (sonnet-4-6, opus)', () => {
    const t = { input: 500_000, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };
    expect(costUsd(t, sonnet46, null)).toBeCloseTo(1.5, 10);
    expect(costUsd(t, table.models.get('claude-opus-4-6')!, null)).toBeCloseTo(2.5, 10);
  });

  it('1h cache writes are billed at their own rate, not derived from 5m', () => {
    const t = { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: MTOK, cacheRead: 0 };
    expect(costUsd(t, matchModel(table, 'claude-opus-4-5-20251101')!.price, null)).toBe(10);
  });

  it('fast mode: ×6 for opus-4-6 and 4-7, ×2 for 4-8, unchanged where no multiplier is known', () => {
    const t = { input: MTOK, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };
    expect(costUsd(t, table.models.get('claude-opus-4-6')!, 'fast')).toBe(30);
    expect(costUsd(t, table.models.get('claude-opus-4-7')!, 'fast')).toBe(30);
    expect(costUsd(t, table.models.get('claude-opus-4-8')!, 'fast')).toBe(10);
    expect(costUsd(t, table.models.get('claude-opus-4-5')!, 'fast')).toBe(5);
  });
});
