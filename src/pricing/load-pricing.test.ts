import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPricing } from './load-pricing.ts';
import { matchModel } from './match-model.ts';
import { ConfigError } from '../config.ts';

const dir = mkdtempSync(join(tmpdir(), 'ctm-pricing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: unknown): string => {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
};
const rates = { input: 1, output: 2, cacheWrite5m: 3, cacheWrite1h: 4, cacheRead: 0.5 };

describe('loadPricing', () => {
  it('CTM_PRICING_FILE adds models and overrides shipped ones; the hash changes with it', () => {
    const shipped = loadPricing();
    const p = file('ok.json', {
      models: { 'acme-model': rates, 'claude-opus-4-5': { ...rates, input: 99 } },
    });
    const merged = loadPricing(p);
    expect(matchModel(merged, 'acme-model-20260101')!.price).toEqual(rates);
    expect(merged.models.get('claude-opus-4-5')!.input).toBe(99);
    expect(merged.models.get('claude-opus-4')!.input).toBe(15);
    expect(merged.hash).not.toBe(shipped.hash);
    expect(loadPricing(p).hash).toBe(merged.hash);
    expect(loadPricing().hash).toBe(shipped.hash);
  });

  it('the override may change the long-context threshold', () => {
    expect(loadPricing(file('t.json', { longContextThreshold: 1000, models: {} })).longContextThreshold).toBe(
      1000,
    );
  });

  it.each([
    ['not JSON', '{ models: nope', /CTM_PRICING_FILE: .* is not valid JSON/],
    ['no models', { unit: 'x' }, /CTM_PRICING_FILE: .* has a bad entry/],
    ['a rate as text', { models: { m: { ...rates, input: '1' } } }, /bad entry at models\.m\.input/],
    ['a negative rate', { models: { m: { ...rates, output: -1 } } }, /bad entry at models\.m\.output/],
    ['a missing rate', { models: { m: { input: 1 } } }, /bad entry at models\.m\./],
  ])('a malformed file (%s) is a ConfigError naming CTM_PRICING_FILE', (name, content, message) => {
    const p = file(`${name}.json`, content);
    expect(() => loadPricing(p)).toThrow(ConfigError);
    expect(() => loadPricing(p)).toThrow(message);
  });

  it('a missing file is a ConfigError naming CTM_PRICING_FILE', () => {
    expect(() => loadPricing(join(dir, 'absent.json'))).toThrow(/^CTM_PRICING_FILE: cannot read/);
  });
});
