import { describe, expect, it } from 'vitest';
import { peakMultiplier, ratesFor, tokenCostUsd, type TokenCounts } from './cost.ts';
import { loadPricing } from './load-pricing.ts';
import { matchModel, priceAt } from './match-model.ts';
import { requestCost, type PricedRequest } from './request-cost.ts';

const table = loadPricing();
type Rates = [input: number, output: number, write5m: number, write1h: number, read: number];
const NOW = Date.parse('2026-12-01T12:00:00Z');

// The list rates (USD per million tokens) the shipped table must hold, with the tier above which the whole
// request moves to other rates and the fast-mode multiplier.
const SPEC: [string, Rates, [number, Rates] | null, number | null][] = [
  ['claude-opus-5-5', [4, 20, 5, 8, 0.2], null, 2],
  ['claude-opus-5', [5, 25, 6.25, 10, 0.5], null, 2],
  ['claude-opus-4-8', [5, 25, 6.25, 10, 0.5], null, 2],
  ['claude-opus-4-7', [5, 25, 6.25, 10, 0.5], null, 6],
  ['claude-opus-4-6', [5, 25, 6.25, 10, 0.5], null, 6],
  ['claude-opus-4-5', [5, 25, 6.25, 10, 0.5], null, null],
  ['claude-opus-4-1', [15, 75, 18.75, 30, 1.5], null, null],
  ['claude-opus-4', [15, 75, 18.75, 30, 1.5], null, null],
  ['claude-3-opus', [15, 75, 18.75, 30, 1.5], null, null],
  ['claude-sonnet-5-5', [2, 10, 2.5, 4, 0.1], null, null],
  ['claude-sonnet-5', [2, 10, 2.5, 4, 0.2], null, null],
  ['claude-sonnet-4-6', [3, 15, 3.75, 6, 0.3], null, null],
  ['claude-sonnet-4-5', [3, 15, 3.75, 6, 0.3], [200_000, [6, 22.5, 7.5, 12, 0.6]], null],
  ['claude-sonnet-4', [3, 15, 3.75, 6, 0.3], [200_000, [6, 22.5, 7.5, 12, 0.6]], null],
  ['claude-3-7-sonnet', [3, 15, 3.75, 6, 0.3], null, null],
  ['claude-3-5-sonnet', [3, 15, 3.75, 6, 0.3], null, null],
  ['claude-haiku-5-5', [0.1, 0.5, 0.125, 0.2, 0.01], [100_000, [0.5, 2.5, 0.625, 1, 0.05]], null],
  ['claude-haiku-4-5', [1, 5, 1.25, 2, 0.1], null, null],
  ['claude-3-5-haiku', [0.8, 4, 1, 1.6, 0.08], null, null],
  ['claude-3-haiku', [0.25, 1.25, 0.3, 0.5, 0.03], null, null],
  ['claude-fable-5-2', [8, 40, 10, 16, 0.2], null, 2],
  ['claude-fable-5-1', [10, 50, 12.5, 20, 0.25], null, null],
  ['claude-fable-5', [10, 50, 12.5, 20, 1], null, null],
  ['claude-mythos-preview', [25, 125, 31.25, 50, 2.5], null, null],
];

// Sonnet 4.5, Haiku 4.5, Opus 4.5 and every later model cost 10% more on a regional Bedrock endpoint.
const REGIONAL = new Set([
  'claude-opus-5-5',
  'claude-opus-5',
  'claude-opus-4-8',
  'claude-opus-4-7',
  'claude-opus-4-6',
  'claude-opus-4-5',
  'claude-sonnet-5-5',
  'claude-sonnet-5',
  'claude-sonnet-4-6',
  'claude-sonnet-4-5',
  'claude-haiku-5-5',
  'claude-haiku-4-5',
  'claude-fable-5-2',
  'claude-fable-5-1',
  'claude-fable-5',
  'claude-mythos-preview',
]);

const MTOK = 1_000_000;
const KINDS = ['input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'] as const;
const none: TokenCounts = { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };
const request = (model: string, over: Partial<PricedRequest> = {}): PricedRequest => ({
  model,
  ts: NOW,
  speed: null,
  geo: null,
  ...none,
  webSearchRequests: 0,
  ...over,
});

describe('the shipped price table holds the list prices', () => {
  it.each(SPEC)('%s: %j, tier %j, fast ×%s', (model, rates, tier, fast) => {
    const priced = matchModel(table, model)!;
    expect(priced.source).toMatch(/^https:\/\//);
    expect(priced.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const price = priceAt(priced, NOW);
    expect(KINDS.map((k) => price[k])).toEqual(rates);
    // Each token kind alone: 10k tokens (under every tier) cost a hundredth of the per-MTok rate.
    KINDS.forEach((k, i) =>
      expect(requestCost(table, request(model, { [k]: MTOK / 100 }))).toBeCloseTo(rates[i]! / 100, 10),
    );
    expect(price.tiers.map((t) => [t.above, KINDS.map((k) => t[k])])).toEqual(tier ? [tier] : []);
    const t = request(model, { input: 1000, output: 2000, cacheWrite5m: 3000, cacheWrite1h: 4000 });
    const base = requestCost(table, t)!;
    expect(requestCost(table, { ...t, speed: 'fast' })).toBeCloseTo(base * (fast ?? 1), 12);
    expect(requestCost(table, { ...t, speed: 'standard' })).toBe(base);
    // On Bedrock: a geographic profile or an in-Region id is regional, the global profile is not.
    const regional = REGIONAL.has(model) ? 1.1 : 1;
    for (const prefix of ['us.', 'eu.', 'apac.', 'au.', 'jp.', ''])
      expect(requestCost(table, { ...t, model: `${prefix}anthropic.${model}-v1:0` })).toBeCloseTo(
        base * regional,
        12,
      );
    expect(requestCost(table, { ...t, model: `global.anthropic.${model}-v1:0` })).toBe(base);
    expect(requestCost(table, { ...t, model: `${model}@20260101` })).toBe(base);
  });

  it('the regional-endpoint multiplier covers exactly Sonnet 4.5, Haiku 4.5, Opus 4.5 and later models', () => {
    const marked = [...table.models.values()].filter((m) => m.regionalMultiplier !== undefined && !m.aliasOf);
    expect(new Set(marked.map((m) => m.id))).toEqual(REGIONAL);
    expect(new Set(marked.map((m) => m.regionalMultiplier))).toEqual(new Set([1.1]));
    expect(table.regionalSource).toMatch(/^https:\/\/platform\.claude\.com\//);
  });

  it('the mythos names are the fable prices', () => {
    for (const [alias, id] of [
      ['claude-mythos-5-2', 'claude-fable-5-2'],
      ['claude-mythos-5-1', 'claude-fable-5-1'],
      ['claude-mythos-5', 'claude-fable-5'],
    ] as const) {
      expect(matchModel(table, alias)!.aliasOf).toBe(id);
      expect(requestCost(table, request(alias, { output: MTOK }))).toBe(
        requestCost(table, request(id, { output: MTOK })),
      );
    }
  });
});

describe('requestCost', () => {
  it('a tier applies to the whole request once input + cache writes + cache reads pass it, output not counted', () => {
    const at = request('claude-sonnet-4-5', {
      input: 100_000,
      output: 10_000,
      cacheWrite5m: 50_000,
      cacheRead: 50_000,
    });
    expect(requestCost(table, at)).toBeCloseTo(0.3 + 0.15 + 0.1875 + 0.015, 10);
    expect(requestCost(table, { ...at, cacheRead: 50_001 })).toBeCloseTo(
      (100_000 * 6 + 10_000 * 22.5 + 50_000 * 7.5 + 50_001 * 0.6) / MTOK,
      10,
    );
    const outputHeavy = request('claude-sonnet-4-5', { input: 150_000, output: 100_000 });
    expect(requestCost(table, outputHeavy)).toBeCloseTo((150_000 * 3 + 100_000 * 15) / MTOK, 10);
  });

  it('haiku 5.5 moves to its higher rates above 100k tokens of input', () => {
    const at = request('claude-haiku-5-5', { input: 60_000, cacheRead: 40_000, output: 1000 });
    expect(requestCost(table, at)).toBeCloseTo((60_000 * 0.1 + 40_000 * 0.01 + 1000 * 0.5) / MTOK, 12);
    expect(requestCost(table, { ...at, input: 60_001 })).toBeCloseTo(
      (60_001 * 0.5 + 40_000 * 0.05 + 1000 * 2.5) / MTOK,
      12,
    );
  });

  it('fast × US-only stack on every token rate; web searches cost $0.01 each, untouched by both', () => {
    const t = request('claude-opus-5', { input: MTOK, output: MTOK });
    expect(requestCost(table, t)).toBe(30);
    expect(requestCost(table, { ...t, speed: 'fast' })).toBe(60);
    expect(requestCost(table, { ...t, geo: 'us' })).toBeCloseTo(33, 10);
    expect(requestCost(table, { ...t, speed: 'fast', geo: 'us' })).toBeCloseTo(66, 10);
    for (const geo of ['global', 'not_available', 'eu']) expect(requestCost(table, { ...t, geo })).toBe(30);
    expect(requestCost(table, { ...t, speed: 'fast', geo: 'us', webSearchRequests: 7 })).toBeCloseTo(
      66.07,
      10,
    );
    expect(requestCost(table, request('claude-haiku-4-5', { webSearchRequests: 1000 }))).toBe(10);
    expect(requestCost(table, request('claude-haiku-4-5', { webSearchRequests: 1 }))).toBe(0.01);
  });

  it('a regional Bedrock endpoint stacks with the tier, US-only inference and the other names of a model', () => {
    const long = request('us.anthropic.claude-sonnet-4-5-20250929-v1:0', { input: 300_000, output: 10_000 });
    expect(requestCost(table, long)).toBeCloseTo(((300_000 * 6 + 10_000 * 22.5) / MTOK) * 1.1, 12);
    const t = request('eu.anthropic.claude-opus-5-v1', { input: MTOK, output: MTOK });
    expect(requestCost(table, t)).toBeCloseTo(33, 10);
    expect(requestCost(table, { ...t, geo: 'us' })).toBeCloseTo(36.3, 10);
    expect(requestCost(table, { ...t, webSearchRequests: 10 })).toBeCloseTo(33.1, 10);
    expect(requestCost(table, request('us.anthropic.claude-mythos-5-1', { output: MTOK }))).toBeCloseTo(
      55,
      10,
    );
    // Older models keep their price whatever the name.
    expect(requestCost(table, request('us.anthropic.claude-opus-4-1-20250805-v1:0', { input: MTOK }))).toBe(
      15,
    );
    expect(
      requestCost(table, request('us.anthropic.claude-sonnet-4-20250514-v1:0', { input: 100_000 })),
    ).toBeCloseTo(0.3, 12);
    expect(requestCost(table, request('anthropic.claude-3-haiku-20240307-v1:0', { input: MTOK }))).toBe(0.25);
    // AWS GovCloud's and unknown geographies' names have no shipped price.
    expect(
      requestCost(table, request('us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0', { input: 1 })),
    ).toBe(null);
  });

  it('a dated price applies by the request UTC time: sonnet 5.5 reads at 0.10 from 2026-10-07', () => {
    const read = { cacheRead: MTOK };
    expect(
      requestCost(table, request('claude-sonnet-5-5', { ...read, ts: Date.parse('2026-10-06T23:59:59Z') })),
    ).toBe(0.2);
    expect(
      requestCost(table, request('claude-sonnet-5-5', { ...read, ts: Date.parse('2026-10-07T00:00:00Z') })),
    ).toBe(0.1);
  });

  it('Opus 4.6 and Sonnet 4.6 bill a request over 200k at the long-context rates until 2026-03-13', () => {
    const long = { input: 250_000, output: 1_000 };
    const at = (model: string, when: string, speed: string | null = null) =>
      requestCost(table, request(model, { ...long, speed, ts: Date.parse(when) }));
    expect(at('claude-opus-4-6', '2026-03-12T23:59:59Z')).toBeCloseTo(2.5 + 0.0375, 10);
    expect(at('claude-opus-4-6', '2026-03-13T00:00:00Z')).toBeCloseTo(1.25 + 0.025, 10);
    expect(at('claude-sonnet-4-6', '2026-03-01T00:00:00Z')).toBeCloseTo(1.5 + 0.0225, 10);
    expect(at('claude-sonnet-4-6', '2026-04-01T00:00:00Z')).toBeCloseTo(0.75 + 0.015, 10);
    // 200,000 exactly is not over the threshold.
    expect(
      requestCost(table, request('claude-opus-4-6', { input: 200_000, ts: Date.parse('2026-03-01') })),
    ).toBe(1);
    // Fast mode: ×6 of the rates in effect ($60 / $225 above 200k, the fast-mode page's figures), at its launch
    // discount of 50% until 2026-02-16 23:59 PT.
    expect(at('claude-opus-4-6', '2026-02-20T00:00:00Z', 'fast')).toBeCloseTo(6 * (2.5 + 0.0375), 10);
    expect(at('claude-opus-4-6', '2026-02-06T23:59:59Z', 'fast')).toBeCloseTo(6 * (2.5 + 0.0375), 10);
    expect(at('claude-opus-4-6', '2026-02-07T00:00:00Z', 'fast')).toBeCloseTo(3 * (2.5 + 0.0375), 10);
    expect(at('claude-opus-4-6', '2026-02-17T07:59:59Z', 'fast')).toBeCloseTo(3 * (2.5 + 0.0375), 10);
    expect(at('claude-opus-4-6', '2026-02-17T08:00:00Z', 'fast')).toBeCloseTo(6 * (2.5 + 0.0375), 10);
  });

  it('an unknown model has no cost (null), never $0', () => {
    expect(requestCost(table, request('claude-opus-9', { input: 10 }))).toBeNull();
    expect(requestCost(table, request('moonshotai/kimi-k9', { input: 10 }))).toBeNull();
  });
});

describe('cost parts', () => {
  it('ratesFor takes the highest tier passed', () => {
    const price = {
      input: 1,
      output: 1,
      cacheWrite5m: 1,
      cacheWrite1h: 1,
      cacheRead: 1,
      tiers: [
        { above: 1000, input: 3, output: 3, cacheWrite5m: 3, cacheWrite1h: 3, cacheRead: 3 },
        { above: 100, input: 2, output: 2, cacheWrite5m: 2, cacheWrite1h: 2, cacheRead: 2 },
      ],
    };
    expect(ratesFor(price, { ...none, input: 100 }).input).toBe(1);
    expect(ratesFor(price, { ...none, input: 101 }).input).toBe(2);
    expect(ratesFor(price, { ...none, input: 1001 }).input).toBe(3);
    expect(tokenCostUsd({ ...none, output: MTOK }, price)).toBe(1);
  });

  it('peakMultiplier: 1 in the peak hours on peak weekdays, the off-peak multiplier otherwise', () => {
    const peak = {
      utcHours: [
        [1, 4],
        [6, 10],
      ] as [number, number][],
      weekdays: [1, 2, 3, 4, 5],
      offPeakMultiplier: 0.5,
    };
    expect(peakMultiplier(undefined, NOW)).toBe(1);
    expect(peakMultiplier(peak, Date.parse('2026-12-01T01:00:00Z'))).toBe(1); // Tuesday
    expect(peakMultiplier(peak, Date.parse('2026-12-01T04:00:00Z'))).toBe(0.5);
    expect(peakMultiplier(peak, Date.parse('2026-12-01T09:59:59Z'))).toBe(1);
    expect(peakMultiplier(peak, Date.parse('2026-12-06T02:00:00Z'))).toBe(0.5); // Sunday
  });

  it('DeepSeek V4 Pro: peak rates from 2026-08-16 16:00 UTC, half off-peak', () => {
    const t = { input: MTOK };
    expect(
      requestCost(table, request('deepseek-v4-pro', { ...t, ts: Date.parse('2026-08-16T15:00:00Z') })),
    ).toBeCloseTo(0.435, 10);
    expect(
      requestCost(table, request('deepseek-v4-pro', { ...t, ts: Date.parse('2026-12-01T02:00:00Z') })),
    ).toBeCloseTo(1.32, 10);
    expect(
      requestCost(table, request('deepseek-v4-pro', { ...t, ts: Date.parse('2026-12-01T12:00:00Z') })),
    ).toBeCloseTo(0.66, 10);
  });
});
