import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPricing, parsePricingText, shippedPath } from './load-pricing.ts';
import { matchModel, priceAt } from './match-model.ts';
import { requestCost } from './request-cost.ts';
import { ConfigError } from '../config.ts';

const dir = mkdtempSync(join(tmpdir(), 'ctm-pricing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: unknown): string => {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
};
const rates = { input: 1, output: 2, cacheWrite5m: 3, cacheWrite1h: 4, cacheRead: 0.5 };
const now = Date.parse('2026-12-01T00:00:00Z');
const priceNow = (t: ReturnType<typeof loadPricing>, m: string) => priceAt(matchModel(t, m)!, now);

describe('loadPricing', () => {
  it('the shipped table is what the schema makes of it (so a start reads it without the schema)', () => {
    const text = readFileSync(shippedPath, 'utf8');
    expect(parsePricingText(text, 'shipped', 'shipped')).toStrictEqual(JSON.parse(text));
  });

  it('CTM_PRICING_FILE adds models and overrides shipped ones; the hash changes with it', () => {
    const shipped = loadPricing();
    const p = file('ok.json', {
      models: { 'acme-model': rates, 'claude-opus-4-5': { ...rates, input: 99 } },
    });
    const merged = loadPricing(p);
    expect(priceNow(merged, 'acme-model-20260101')).toMatchObject(rates);
    expect(priceNow(merged, 'claude-opus-4-5').input).toBe(99);
    expect(priceNow(merged, 'claude-opus-4').input).toBe(15);
    expect(merged.hash).not.toBe(shipped.hash);
    expect(loadPricing(p).hash).toBe(merged.hash);
    expect(loadPricing().hash).toBe(shipped.hash);
  });

  it('an override of an aliased model prices its other names too', () => {
    const merged = loadPricing(
      file('alias.json', { models: { 'claude-fable-5-1': { ...rates, output: 7 } } }),
    );
    expect(priceNow(merged, 'claude-mythos-5-1').output).toBe(7);
  });

  it('regional-endpoint multipliers survive an override of the price; a file may add or change them', () => {
    const regional = (t: ReturnType<typeof loadPricing>, m: string) => matchModel(t, m)!.regionalMultiplier;
    const t = loadPricing(
      file('regional.json', {
        regionalEndpoints: { models: { 'acme-model': 1.2, 'claude-opus-5': 1.15 } },
        models: { 'acme-model': rates, 'claude-sonnet-5': { ...rates, input: 9 } },
      }),
    );
    expect(regional(t, 'us.anthropic.claude-sonnet-5-v1:0')).toBe(1.1);
    expect(priceNow(t, 'claude-sonnet-5').input).toBe(9);
    expect(regional(t, 'claude-opus-5')).toBe(1.15);
    expect(regional(t, 'acme-model')).toBe(1.2);
    expect(regional(t, 'claude-opus-4-1')).toBeUndefined();
    expect(t.regionalSource).toBe(loadPricing().regionalSource);
  });

  it('the legacy above200k form becomes a tier at the file threshold', () => {
    const t = loadPricing(
      file('t.json', {
        longContextThreshold: 1000,
        models: { m: { ...rates, above200k: { ...rates, input: 10 } } },
      }),
    );
    expect(priceNow(t, 'm').tiers).toEqual([{ above: 1000, ...rates, input: 10 }]);
  });

  it.each([
    ['not JSON', '{ models: nope', /CTM_PRICING_FILE: .* is not valid JSON/],
    ['no models', { unit: 'x' }, /CTM_PRICING_FILE: .* has a bad entry/],
    ['a rate as text', { models: { m: { ...rates, input: '1' } } }, /bad entry at models\.m\.input/],
    ['a negative rate', { models: { m: { ...rates, output: -1 } } }, /bad entry at models\.m\.output/],
    ['a missing rate', { models: { m: { input: 1 } } }, /bad entry at models\.m\./],
    [
      'a bad change date',
      { models: { m: { ...rates, changes: [{ from: '2026-13-40' }] } } },
      /models\.m\.changes\.0\.from/,
    ],
    [
      'a regional multiplier for no model',
      { regionalEndpoints: { models: { 'claude-nope-1': 1.1 } }, models: {} },
      /bad entry at regionalEndpoints\.models\.claude-nope-1: no such model/,
    ],
    [
      'an alias to nothing',
      { aliases: { a: 'nope' }, models: {} },
      /bad entry at aliases\.a: no model "nope"/,
    ],
  ])('a malformed file (%s) is a ConfigError naming CTM_PRICING_FILE', (name, content, message) => {
    const p = file(`${name}.json`, content);
    expect(() => loadPricing(p)).toThrow(ConfigError);
    expect(() => loadPricing(p)).toThrow(message);
  });

  it('a missing file is a ConfigError naming CTM_PRICING_FILE', () => {
    expect(() => loadPricing(join(dir, 'absent.json'))).toThrow(/^CTM_PRICING_FILE: cannot read/);
  });

  it('a FIFO or a directory is refused at once, not waited on', () => {
    const fifo = join(dir, 'prices.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(() => loadPricing(fifo)).toThrow(`CTM_PRICING_FILE: cannot read ${fifo} (not a regular file)`);
    expect(() => loadPricing(dir)).toThrow(`CTM_PRICING_FILE: cannot read ${dir} (not a regular file)`);
  });
});

describe("LiteLLM's model_prices_and_context_window.json as CTM_PRICING_FILE", () => {
  const litellm = {
    sample_spec: { input_cost_per_token: 0, output_cost_per_token: 0, mode: 'chat' },
    'claude-opus-5-5': {
      litellm_provider: 'anthropic',
      mode: 'chat',
      input_cost_per_token: 3e-6,
      output_cost_per_token: 1.5e-5,
      cache_creation_input_token_cost: 3.75e-6,
      cache_creation_input_token_cost_above_1hr: 6e-6,
      cache_read_input_token_cost: 3e-7,
      input_cost_per_token_above_200k_tokens: 6e-6,
      output_cost_per_token_above_200k_tokens: 2.25e-5,
      provider_specific_entry: { fast: 2, us: 1.1 },
    },
    'openrouter/anthropic/claude-opus-5-5': {
      litellm_provider: 'openrouter',
      mode: 'chat',
      input_cost_per_token: 9e-6,
      output_cost_per_token: 9e-6,
    },
    'moonshotai/kimi-k2.6': {
      litellm_provider: 'moonshot',
      mode: 'chat',
      input_cost_per_token: 6e-7,
      output_cost_per_token: 2.5e-6,
      cache_read_input_token_cost: 1.5e-7,
    },
    'text-embedding-x': { mode: 'embedding', input_cost_per_token: 1e-7, output_cost_per_token: 0 },
  };

  it('per-token prices become per-million rates, above_200k fields a tier, fast and us multipliers', () => {
    const t = loadPricing(file('litellm.json', litellm));
    const p = priceNow(t, 'claude-opus-5-5');
    expect([p.input, p.output, p.cacheWrite5m, p.cacheWrite1h, p.cacheRead]).toEqual([3, 15, 3.75, 6, 0.3]);
    expect(p.tiers).toEqual([
      { above: 200_000, input: 6, output: 22.5, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3 },
    ]);
    expect(p.fastMultiplier).toBe(2);
    expect(p.geoMultipliers).toEqual({ us: 1.1 });
    // The first-party entry wins over a router's of the same model.
    expect(matchModel(t, 'claude-opus-5-5')!.source).toMatch(/LiteLLM format/);
    const kimi = priceNow(t, 'moonshotai/kimi-k2.6');
    expect([kimi.input, kimi.output, kimi.cacheRead, kimi.cacheWrite5m]).toEqual([0.6, 2.5, 0.15, 0.6]);
    expect(matchModel(t, 'text-embedding-x')).toBeUndefined();
    // Shipped models the file does not name keep their prices.
    expect(priceNow(t, 'claude-opus-4-5').input).toBe(5);
    const req = {
      model: 'claude-opus-5-5',
      ts: now,
      speed: 'fast',
      geo: 'us',
      input: 100_000,
      output: 0,
      cacheWrite5m: 0,
      cacheWrite1h: 0,
      cacheRead: 0,
      webSearchRequests: 0,
    };
    expect(requestCost(t, req)).toBeCloseTo(0.3 * 2 * 1.1, 10);
  });

  // LiteLLM lists Opus 4 and Sonnet 4 twice each, as claude-4-opus-20250514 (no 1-hour field) and
  // claude-opus-4-20250514 (with it); either order in the file gives the complete price.
  const opus4 = {
    litellm_provider: 'anthropic',
    mode: 'chat',
    input_cost_per_token: 1.5e-5,
    output_cost_per_token: 7.5e-5,
    cache_creation_input_token_cost: 1.875e-5,
    cache_read_input_token_cost: 1.5e-6,
  };
  const sonnet4 = {
    litellm_provider: 'anthropic',
    mode: 'chat',
    input_cost_per_token: 3e-6,
    output_cost_per_token: 1.5e-5,
    cache_creation_input_token_cost: 3.75e-6,
    cache_read_input_token_cost: 3e-7,
    input_cost_per_token_above_200k_tokens: 6e-6,
    output_cost_per_token_above_200k_tokens: 2.25e-5,
    cache_creation_input_token_cost_above_200k_tokens: 7.5e-6,
    cache_read_input_token_cost_above_200k_tokens: 6e-7,
  };
  const twins = {
    'claude-4-opus-20250514': opus4,
    'claude-opus-4-20250514': { ...opus4, cache_creation_input_token_cost_above_1hr: 3e-5 },
    'claude-4-sonnet-20250514': sonnet4,
    'claude-sonnet-4-20250514': {
      ...sonnet4,
      cache_creation_input_token_cost_above_1hr: 6e-6,
      cache_creation_input_token_cost_above_1hr_above_200k_tokens: 1.2e-5,
    },
  };

  it.each([
    ['as LiteLLM orders them', twins],
    ['reversed', Object.fromEntries(Object.entries(twins).reverse())],
  ])('entries of one model and one rank are merged field by field (%s)', (name, content) => {
    const t = loadPricing(file(`twins-${name}.json`, content));
    const rates = (p: ReturnType<typeof priceNow>) => [
      p.input,
      p.output,
      p.cacheWrite5m,
      p.cacheWrite1h,
      p.cacheRead,
    ];
    expect(rates(priceNow(t, 'claude-opus-4-20250514'))).toEqual([15, 75, 18.75, 30, 1.5]);
    const sonnet = priceNow(t, 'claude-sonnet-4-20250514');
    expect(rates(sonnet)).toEqual([3, 15, 3.75, 6, 0.3]);
    expect(sonnet.tiers).toEqual([
      { above: 200_000, input: 6, output: 22.5, cacheWrite5m: 7.5, cacheWrite1h: 12, cacheRead: 0.6 },
    ]);
  });

  it("a regional Bedrock entry's price is used only without another, and gets no second premium", () => {
    const bedrock = (input: number) => ({
      litellm_provider: 'bedrock_converse',
      mode: 'chat',
      input_cost_per_token: input,
      output_cost_per_token: 1.5e-5,
    });
    const t = loadPricing(
      file('bedrock.json', {
        'anthropic.claude-sonnet-4-6': bedrock(3.3e-6),
        'us.anthropic.claude-sonnet-4-6': bedrock(3.3e-6),
        'global.anthropic.claude-sonnet-4-6': bedrock(3e-6),
      }),
    );
    const cost = (model: string) =>
      requestCost(t, {
        model,
        ts: now,
        speed: null,
        geo: null,
        input: 1_000_000,
        output: 0,
        cacheWrite5m: 0,
        cacheWrite1h: 0,
        cacheRead: 0,
        webSearchRequests: 0,
      });
    expect(cost('global.anthropic.claude-sonnet-4-6')).toBe(3);
    expect(cost('us.anthropic.claude-sonnet-4-6')).toBeCloseTo(3.3, 12);
  });

  it('a bad field is a ConfigError naming the file and the entry', () => {
    const p = file('bad-litellm.json', {
      ...litellm,
      'm-x': { input_cost_per_token: 'cheap', output_cost_per_token: 1e-6 },
    });
    expect(() => loadPricing(p)).toThrow(ConfigError);
    expect(() => loadPricing(p)).toThrow(/bad-litellm\.json has a bad entry at "m-x"\.input_cost_per_token/);
  });
});
