// The price table for `ctm statusline`, whose whole run has 100 ms: loading it the usual way (the schema
// library, validating the shipped table and CTM_PRICING_FILE) costs ~30 ms a process. The built table is kept
// as JSON under the data dir's cache/, keyed by the size and mtime of every file it is built from (the
// shipped table, the override, the pricing code); any change is a miss, rebuilt through loadPricing (whose
// errors are the usual ConfigErrors) and written atomically (temp file + rename), so racing calls are safe.
import type { PricedModel, PriceTable } from './pricing-schema.ts';

const { statSync, readFileSync, writeFileSync, renameSync, mkdirSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');
const { fileURLToPath } = process.getBuiltinModule('node:url');

const SOURCES = [
  './anthropic.json',
  './load-pricing.ts',
  './build-price-table.ts',
  './pricing-schema.ts',
  './litellm-format.ts',
  './normalize-model.ts',
  './regional-endpoint.ts',
].map((p) => fileURLToPath(new URL(p, import.meta.url)));

interface CacheFile {
  key: string;
  webSearchPerThousand: number;
  geoMultipliers: Record<string, number>;
  regionalSource?: string;
  models: [string, PricedModel][];
}

function cacheKey(overridePath: string | undefined): string {
  return [...SOURCES, ...(overridePath ? [overridePath] : [])]
    .map((p) => {
      try {
        const s = statSync(p);
        return `${p}:${s.size}:${s.mtimeMs}`;
      } catch {
        return `${p}:-`;
      }
    })
    .join('|');
}

// JSON has no -Infinity (the first price period's start): it is written as null and read back.
const revive = (key: string, value: unknown): unknown =>
  key === 'from' && value === null ? -Infinity : value;

export async function cachedPricing(cacheDir: string, overridePath: string | undefined): Promise<PriceTable> {
  const file = join(cacheDir, 'price-table.json');
  const key = cacheKey(overridePath);
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8'), revive) as CacheFile;
    if (cached.key === key) {
      const table: PriceTable = {
        webSearchPerThousand: cached.webSearchPerThousand,
        geoMultipliers: cached.geoMultipliers,
        models: new Map(cached.models),
      };
      if (cached.regionalSource !== undefined) table.regionalSource = cached.regionalSource;
      return table;
    }
  } catch {
    // no cache yet, or an unreadable one: build it
  }
  const { loadPricing } = await import('./load-pricing.ts');
  const { hash: _hash, ...table } = loadPricing(overridePath);
  const out: CacheFile = {
    key,
    webSearchPerThousand: table.webSearchPerThousand,
    geoMultipliers: table.geoMultipliers,
    models: [...table.models],
  };
  if (table.regionalSource !== undefined) out.regionalSource = table.regionalSource;
  try {
    mkdirSync(cacheDir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(out));
    renameSync(temp, file);
  } catch {
    // a read-only data dir: priced all the same, only not cached
  }
  return table;
}
