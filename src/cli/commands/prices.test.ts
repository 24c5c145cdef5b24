// `ctm prices` as a user runs it (the real CLI in a child process, an index built by `ctm ingest --once`, a
// CTM_PRICING_FILE with a tier, dated changes, an alias, peak hours and a note), and its text helpers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assistantLine } from '../../../test/fixtures/fixture-lines.ts';
import { fixtureTree, type FixtureTree } from '../../../test/fixtures/fixture-tree.ts';
import { runCtm } from '../../../test/fixtures/run-ctm.ts';
import { priceJson } from '../price-list.ts';
import { changeText, formatFrom, formatRate } from '../prices-text.ts';

let tree: FixtureTree;
let env: Record<string, string>;
let overridePath: string;
let laterPath: string;

const ACME_7 = {
  input: 1,
  output: 5,
  cacheWrite5m: 1.25,
  cacheWrite1h: 2,
  cacheRead: 0.1,
  fastMultiplier: 3,
  tiers: [{ above: 50_000, input: 2, output: 10, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.2 }],
  source: 'https://acme.example/pricing',
  checked: '2026-11-30',
  note: 'Acme bills per token.',
  changes: [
    { from: '2026-01-01', input: 1.5 },
    { from: '2099-01-01T12:00Z', output: 4, source: 'https://acme.example/news' },
  ],
};

beforeAll(() => {
  tree = fixtureTree();
  overridePath = join(tree.root, 'prices.json');
  laterPath = join(tree.root, 'prices-later.json');
  const override = { aliases: { 'acme-seven': 'acme-7' }, models: { 'acme-7': ACME_7 } };
  writeFileSync(overridePath, JSON.stringify(override));
  // The same table plus a price for acme-9, which the index was priced without.
  writeFileSync(
    laterPath,
    JSON.stringify({
      ...override,
      models: {
        ...override.models,
        'acme-9': { input: 1, output: 1, cacheWrite5m: 1, cacheWrite1h: 1, cacheRead: 1 },
      },
    }),
  );
  env = {
    HOME: tree.root,
    CTM_CLAUDE_DIR: tree.claudeDir,
    CTM_DATA_DIR: `${tree.root}/data`,
    CTM_TZ: 'UTC',
    CTM_PRICING_FILE: overridePath,
  };
  tree.write('p/s1.jsonl', [
    assistantLine({ id: 'm1', timestamp: '2026-03-01T10:00:00Z', model: 'claude-opus-4-5', input: 100 }),
    assistantLine({ id: 'm2', timestamp: '2026-03-02T11:00:00Z', model: 'acme-9', input: 10, output: 5 }),
    assistantLine({ id: 'm3', timestamp: '2026-03-05T12:30:00Z', model: 'acme-9', input: 20, cacheRead: 30 }),
    assistantLine({ id: 'm4', timestamp: '2026-03-03T09:00:00Z', model: 'acme-7', input: 10 }),
    assistantLine({ id: 'm5', timestamp: '2026-03-04T09:00:00Z', model: 'zeta-1', input: 1, output: 1 }),
  ]);
  const r = runCtm(['ingest', '--once'], env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});
afterAll(() => tree.remove());

function pricesJson(extra: Record<string, string> = {}): any {
  const r = runCtm(['prices', '--json'], { ...env, ...extra });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe('ctm prices --json', () => {
  it('the table in effect: rates now, tiers, fast multiplier, source, checked date and every dated period', () => {
    const out = pricesJson();
    expect(out).toMatchObject({
      pricingFile: overridePath,
      webSearchPerThousand: 10,
      geoMultipliers: { us: 1.1 },
      regionalEndpoints: {
        prefixes: [
          'us.anthropic.',
          'eu.anthropic.',
          'apac.anthropic.',
          'au.anthropic.',
          'jp.anthropic.',
          'anthropic.',
        ],
        source: expect.stringMatching(/^https:\/\/platform\.claude\.com\/.*bedrock/),
      },
    });
    const acme = out.models.find((m: any) => m.model === 'acme-7');
    expect(acme).toMatchObject({
      aliasOf: null,
      // In effect now: the 2026 change applied, the 2099 one not yet.
      input: 1.5,
      output: 5,
      fastMultiplier: 3,
      tiers: [{ above: 50_000, input: 2, output: 10, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.2 }],
      source: 'https://acme.example/pricing',
      checked: '2026-11-30',
      note: 'Acme bills per token.',
      regionalMultiplier: null,
    });
    expect(acme.periods.map((p: any) => [p.from, p.input, p.output, p.source])).toEqual([
      [null, 1, 5, 'https://acme.example/pricing'],
      ['2026-01-01T00:00:00.000Z', 1.5, 5, 'https://acme.example/pricing'],
      ['2099-01-01T12:00:00.000Z', 1.5, 4, 'https://acme.example/news'],
    ]);
    expect(out.models.find((m: any) => m.model === 'acme-seven')).toMatchObject({
      aliasOf: 'acme-7',
      input: 1.5,
    });
    // The shipped table stays under the override.
    expect(out.models.find((m: any) => m.model === 'claude-opus-5-5')).toMatchObject({
      input: 4,
      output: 20,
      cacheWrite5m: 5,
      cacheWrite1h: 8,
      cacheRead: 0.2,
      fastMultiplier: 2,
      regionalMultiplier: 1.1,
      source: expect.stringMatching(/^https:\/\//),
      checked: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(out.models.find((m: any) => m.model === 'claude-opus-4-1').regionalMultiplier).toBeNull();
  });

  it('every model in the index without a price, with messages, tokens and first/last use', () => {
    expect(pricesJson().unpriced).toEqual([
      {
        model: 'acme-9',
        messages: 2,
        inputTokens: 30,
        outputTokens: 10,
        cacheCreationTokens: 0,
        cacheReadTokens: 30,
        totalTokens: 70,
        firstUse: '2026-03-02T11:00:00.000Z',
        lastUse: '2026-03-05T12:30:00.000Z',
        pricedAs: null,
      },
      {
        model: 'zeta-1',
        messages: 1,
        inputTokens: 1,
        outputTokens: 1,
        cacheCreationTokens: 0,
        cacheReadTokens: 0,
        totalTokens: 2,
        firstUse: '2026-03-04T09:00:00.000Z',
        lastUse: '2026-03-04T09:00:00.000Z',
        pricedAs: null,
      },
    ]);
  });

  it('a model the index holds unpriced that the table prices now says so (the next ingest reprices it)', () => {
    const out = pricesJson({ CTM_PRICING_FILE: laterPath });
    expect(out.unpriced.map((u: any) => [u.model, u.pricedAs])).toEqual([
      ['acme-9', 'acme-9'],
      ['zeta-1', null],
    ]);
  });

  it('without an index: the table, and unpriced null', () => {
    const out = pricesJson({ CTM_DATA_DIR: `${tree.root}/empty` });
    expect(out.unpriced).toBeNull();
    expect(out.models.length).toBeGreaterThan(20);
  });
});

describe('ctm prices (text)', () => {
  it('a row per model, its tiers, aliases, dated changes and note under it, sources as footnotes', () => {
    const r = runCtm(['prices'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^Prices in effect on \d{4}-\d{2}-\d{2}, USD per million tokens \(pricing\/anthropic\.json, then CTM_PRICING_FILE .*prices\.json\)$/,
    );
    expect(lines[1]).toBe(
      'Web search $10.00 per 1,000 searches; inference_geo us ×1.1 (on every token rate, with fast mode too)',
    );
    const regional = lines[2]!.match(
      /^Regional: on every token rate when the model name names a regional endpoint \(Bedrock us\., eu\., apac\., au\. or jp\. profiles, in-Region anthropic\. ids\); other names \(global\., the Claude API's, Vertex AI's\) pay the list price \[(\d+)\]$/,
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^\\[${regional![1]}\\] https://platform\\.claude\\.com/.*amazon-bedrock`),
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^Model\s+Input\s+Output\s+5m write\s+1h write\s+Cache read\s+Fast\s+Regional\s+Checked\s+Source$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^claude-opus-5\s.*\s×2\s+×1\.1\s+\d{4}-\d{2}-\d{2}\s+\[\d+\]$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^claude-opus-4-1\s.*\s1\.50\s+\d{4}-\d{2}-\d{2}\s+\[\d+\]$/),
    );
    const at = lines.findIndex((l) => l.startsWith('acme-7 '));
    expect(lines[at]).toMatch(
      /^acme-7\s+1\.50\s+5\.00\s+1\.25\s+2\.00\s+0\.10\s+×3\s+2026-11-30\s+\[(\d)\]$/,
    );
    const own = /\[(\d)\]$/.exec(lines[at]!)![1];
    const news = /\[(\d+)\]$/.exec(lines[at + 4]!)?.[1];
    expect(lines.slice(at + 1, at + 6)).toEqual([
      '    also named acme-seven',
      '    above 50,000 input tokens, the whole request at 2.00 / 10.00 / 2.50 / 4.00 / 0.20',
      '    from 2026-01-01: input 1.00 → 1.50',
      `    from 2099-01-01 12:00 UTC (not yet in effect): output 5.00 → 4.00 [${news}]`,
      '    Acme bills per token.',
    ]);
    expect(lines).toContain(`[${own}] https://acme.example/pricing`);
    expect(lines).toContain(`[${news}] https://acme.example/news`);
    // The shipped dated price: the rate in effect in the row, the change under it.
    expect(lines).toContainEqual(
      expect.stringMatching(/^claude-sonnet-5-5\s+2\.00\s+10\.00\s+2\.50\s+4\.00\s+0\.10\s/),
    );
    expect(lines).toContain('    from 2026-10-07: cache read 0.20 → 0.10');
    expect(lines).toContain(
      'Models in the index without a price (2): their tokens count, their cost is not included',
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^acme-9\s+2\s+70\s+2026-03-02 11:00\s+2026-03-05 12:30$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^zeta-1\s+1\s+2\s+2026-03-04 09:00\s+2026-03-04 09:00$/),
    );
  });

  it('the models priced now, or that there is no index, or that every model has a price', () => {
    expect(runCtm(['prices'], { ...env, CTM_PRICING_FILE: laterPath }).stdout).toContain(
      'Priced by the table now: acme-9 (as acme-9); the next `ctm ingest` reprices the index',
    );
    expect(runCtm(['prices'], { ...env, CTM_DATA_DIR: `${tree.root}/empty` }).stdout).toMatch(
      /No index yet: run `ctm ingest --once` to list the models your logs use without a price\.\n$/,
    );
  });

  it('--help, unknown options and a bad pricing file', () => {
    const help = runCtm(['prices', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: ctm prices \[options\]\n/);
    for (const [args, message] of [
      [['--bogus'], 'ctm: prices: unknown option --bogus (see `ctm prices --help`)\n'],
      [['daily'], 'ctm: prices: unexpected argument "daily" (see `ctm prices --help`)\n'],
    ] as const) {
      const r = runCtm(['prices', ...args], env);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(message);
    }
    const bad = join(tree.root, 'bad.json');
    writeFileSync(bad, '{"models": {"x": {"input": -1}}}');
    const r = runCtm(['prices'], { ...env, CTM_PRICING_FILE: bad });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ctm: CTM_PRICING_FILE: .*bad\.json has a bad entry at models\.x/);
  });
});

describe('prices text helpers', () => {
  it.each([
    [4, '4.00'],
    [0.125, '0.125'],
    [0.01, '0.01'],
    [18.75, '18.75'],
    [0.003625, '0.003625'],
  ])('formatRate(%s) = %s', (n, text) => {
    expect(formatRate(n)).toBe(text);
  });

  it('formatFrom: a day for a UTC midnight, else the time in UTC', () => {
    expect(formatFrom('2026-10-07T00:00:00.000Z')).toBe('2026-10-07');
    expect(formatFrom('2026-08-16T16:00:00.000Z')).toBe('2026-08-16 16:00 UTC');
  });

  it('changeText names what a dated change changes', () => {
    const base = priceJson({
      input: 1,
      output: 2,
      cacheWrite5m: 3,
      cacheWrite1h: 4,
      cacheRead: 0.5,
      tiers: [],
    });
    expect(changeText(base, { ...base, cacheRead: 0.25, fastMultiplier: 2 })).toBe(
      'cache read 0.50 → 0.25, fast none → ×2',
    );
    expect(changeText(base, { ...base, peakHours: { utcHours: [[1, 4]], offPeakMultiplier: 0.5 } })).toBe(
      'peak hours 01:00–04:00 UTC; outside them every rate ×0.5',
    );
    expect(changeText({ ...base, peakHours: { utcHours: [[1, 4]], offPeakMultiplier: 0.5 } }, base)).toBe(
      'peak hours end',
    );
    expect(changeText(base, base)).toBe('the same price');
  });
});
