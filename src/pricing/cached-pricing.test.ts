import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../test/fixtures/fixture-tree.ts';
import { cachedPricing } from './cached-pricing.ts';
import { loadPricing } from './load-pricing.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const dir = () => {
  const d = tempDir('ctm-prices-');
  dirs.push(d);
  return d;
};
// loadPricing's table without its hash: the cached one is the table itself.
const table = (override?: string) => {
  const { hash: _hash, ...t } = loadPricing(override);
  return t;
};

describe('cachedPricing', () => {
  it('builds the table loadPricing builds, then reads it back from the cache file', async () => {
    const d = dir();
    const cache = join(d, 'cache');
    expect(await cachedPricing(cache, undefined)).toEqual(table());
    expect(existsSync(join(cache, 'price-table.json'))).toBe(true);
    const again = await cachedPricing(cache, undefined);
    expect(again).toEqual(table());
    // -Infinity (the first period's start) survives the JSON round trip.
    expect([...again.models.values()][0]!.periods[0]!.from).toBe(-Infinity);
  });

  it('an override that changes is a miss; a broken one is the usual ConfigError', async () => {
    const d = dir();
    const cache = join(d, 'cache');
    const override = join(d, 'prices.json');
    const file = (input: number) =>
      JSON.stringify({
        models: { 'claude-test-1': { input, output: 2, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 } },
      });
    writeFileSync(override, file(1));
    expect((await cachedPricing(cache, override)).models.get('claude-test-1')!.periods[0]!.price.input).toBe(
      1,
    );
    writeFileSync(override, file(7.5));
    expect((await cachedPricing(cache, override)).models.get('claude-test-1')!.periods[0]!.price.input).toBe(
      7.5,
    );
    writeFileSync(override, '{"models": {"x": {}}');
    await expect(cachedPricing(cache, override)).rejects.toThrow(/^CTM_PRICING_FILE: /);
  });

  it('a data dir it cannot write still prices', async () => {
    const d = dir();
    chmodSync(d, 0o500);
    try {
      expect(await cachedPricing(join(d, 'cache'), undefined)).toEqual(table());
    } finally {
      chmodSync(d, 0o700);
    }
  });
});
