// Pins ccusage 20.0.24's JSON shapes (`ccusage claude <report> --json`, as observed on generated trees and
// one-line probes, written down below as data) against ctm's JSON over a fixture that has every case: priced
// and unpriced models, a gap, an active block with a token limit, a limit hit, two sessions in two projects.
// Every key ccusage puts on a row must be on ctm's row with one of the JSON types ccusage gives it; keys
// ccusage writes only sometimes (marked "?") must have ccusage's type when ctm writes them. ctm's extra keys
// are allowed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistantLine, costStateLine, limitHitLine } from '../../../test/fixtures/fixture-lines.ts';
import {
  fixtureTree,
  testIndex,
  type FixtureTree,
  type TestIndex,
} from '../../../test/fixtures/fixture-tree.ts';
import { reportJson } from './report.ts';
import { buildReport } from '../build-report.ts';
import type { Kind } from '../report-args.ts';

type Spec = Record<string, string>;

const TOKENS: Spec = {
  inputTokens: 'number',
  outputTokens: 'number',
  cacheCreationTokens: 'number',
  cacheReadTokens: 'number',
  totalTokens: 'number',
  totalCost: 'number',
};
const MODEL_BREAKDOWN: Spec = {
  modelName: 'string',
  inputTokens: 'number',
  outputTokens: 'number',
  cacheCreationTokens: 'number',
  cacheReadTokens: 'number',
  cost: 'number',
  // Only on a model some of whose requests have no price, and then true.
  'missingPricing?': 'boolean',
};
const ENTRY: Spec = { ...TOKENS, modelsUsed: 'array', 'modelsUsed[]': 'string', modelBreakdowns: 'array' };
const TOTALS: Spec = { ...TOKENS, 'unpricedModels?': 'array', 'unpricedModels[]': 'string' };

/** Path → JSON types ("|"-separated); `a[]` is every element of array a, `a.b` key b of object a. */
const CCUSAGE: Record<Kind, Record<string, Spec>> = {
  daily: {
    '': { daily: 'array', totals: 'object' },
    'daily[]': { date: 'string', ...ENTRY },
    'daily[].modelBreakdowns[]': MODEL_BREAKDOWN,
    totals: TOTALS,
  },
  weekly: {
    '': { weekly: 'array', totals: 'object' },
    'weekly[]': { week: 'string', ...ENTRY },
    'weekly[].modelBreakdowns[]': MODEL_BREAKDOWN,
    totals: TOTALS,
  },
  monthly: {
    '': { monthly: 'array', totals: 'object' },
    'monthly[]': { month: 'string', ...ENTRY },
    'monthly[].modelBreakdowns[]': MODEL_BREAKDOWN,
    totals: TOTALS,
  },
  session: {
    '': { sessions: 'array', totals: 'object' },
    'sessions[]': {
      sessionId: 'string',
      projectPath: 'string',
      firstActivity: 'string',
      lastActivity: 'string',
      ...ENTRY,
    },
    'sessions[].modelBreakdowns[]': MODEL_BREAKDOWN,
    totals: TOTALS,
  },
  blocks: {
    '': { blocks: 'array' },
    'blocks[]': {
      id: 'string',
      startTime: 'string',
      endTime: 'string',
      actualEndTime: 'string|null',
      isActive: 'boolean',
      isGap: 'boolean',
      entries: 'number',
      tokenCounts: 'object',
      totalTokens: 'number',
      costUSD: 'number',
      models: 'array',
      'models[]': 'string',
      burnRate: 'object|null',
      projection: 'object|null',
      // Only on the active block, when a token limit is known.
      'tokenLimitStatus?': 'object',
      // Only on a block a limit hit falls in.
      'usageLimitResetTime?': 'string',
    },
    'blocks[].tokenCounts': {
      inputTokens: 'number',
      outputTokens: 'number',
      cacheCreationInputTokens: 'number',
      cacheReadInputTokens: 'number',
    },
    'blocks[].burnRate': {
      tokensPerMinute: 'number',
      tokensPerMinuteForIndicator: 'number',
      costPerHour: 'number',
    },
    'blocks[].projection': { totalTokens: 'number', totalCost: 'number', remainingMinutes: 'number' },
    'blocks[].tokenLimitStatus': {
      limit: 'number',
      projectedUsage: 'number',
      // null against a limit of 0 (-t 0), as in ccusage.
      percentUsed: 'number|null',
      status: 'string',
    },
  },
};

/** Formats of ccusage's string values, by key. */
const FORMATS: Record<string, RegExp> = {
  date: /^\d{4}-\d{2}-\d{2}$/,
  week: /^\d{4}-\d{2}-\d{2}$/,
  month: /^\d{4}-\d{2}$/,
  firstActivity: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
  lastActivity: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
  startTime: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
  endTime: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
  actualEndTime: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
  usageLimitResetTime: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
  id: /^(gap-)?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
  status: /^(ok|warning|exceeds)$/,
};

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Every value at a path ("a[].b"), arrays flattened. */
function valuesAt(root: unknown, path: string): unknown[] {
  let values = [root];
  if (path === '') return values;
  for (const part of path.split('.')) {
    const key = part.replace(/\[\]$/, '');
    values = values
      .filter((v) => typeOf(v) === 'object' && key in (v as object))
      .map((v) => (v as Record<string, unknown>)[key]);
    if (part.endsWith('[]')) values = values.flatMap((v) => (Array.isArray(v) ? v : []));
  }
  return values.filter((v) => v !== null);
}

/** The differences from ccusage's shape: each a path, a key and what is wrong; empty when it fits. */
function shapeErrors(kind: Kind, json: unknown): string[] {
  const errors: string[] = [];
  for (const [path, spec] of Object.entries(CCUSAGE[kind])) {
    for (const object of valuesAt(json, path)) {
      for (const [rawKey, types] of Object.entries(spec)) {
        const optional = rawKey.endsWith('?');
        const key = rawKey.replace(/\?$/, '');
        const allowed = types.split('|');
        if (key.endsWith('[]')) {
          for (const el of valuesAt(object, key))
            if (!allowed.includes(typeOf(el))) errors.push(`${path}.${key}: ${typeOf(el)}, not ${types}`);
          continue;
        }
        const row = object as Record<string, unknown>;
        if (!(key in row)) {
          if (!optional) errors.push(`${path}.${key}: missing`);
          continue;
        }
        const value = row[key];
        if (!allowed.includes(typeOf(value))) errors.push(`${path}.${key}: ${typeOf(value)}, not ${types}`);
        if (typeof value === 'string' && FORMATS[key] && !FORMATS[key].test(value))
          errors.push(`${path}.${key}: "${value}" is not ccusage's format`);
      }
    }
  }
  return errors;
}

let tree: FixtureTree;
let index: TestIndex;
const NOW = Date.parse('2026-03-10T12:00:00Z');

beforeAll(() => {
  tree = fixtureTree();
  index = testIndex([tree.claudeDir], tree.root);
  const opus = 'claude-opus-4-5';
  tree.write('-home-me-repo/s1.jsonl', [
    assistantLine({ id: 'a1', sessionId: 's1', timestamp: '2026-03-01T10:00:00Z', model: opus, input: 1000 }),
    assistantLine({
      id: 'a2',
      sessionId: 's1',
      timestamp: '2026-03-01T10:30:00Z',
      model: 'acme-9',
      input: 50,
    }),
    limitHitLine({
      sessionId: 's1',
      timestamp: '2026-03-01T11:00:00Z',
      resetsAt: Date.parse('2026-03-01T15:00:00Z'),
    }),
    costStateLine('s1', 0.5),
  ]);
  tree.write('-home-me-other/s2.jsonl', [
    assistantLine({
      id: 'b1',
      sessionId: 's2',
      cwd: '/home/me/other',
      timestamp: '2026-03-10T11:00:00Z',
      model: opus,
    }),
    assistantLine({
      id: 'b2',
      sessionId: 's2',
      cwd: '/home/me/other',
      timestamp: '2026-03-10T11:40:00Z',
      model: opus,
    }),
  ]);
  index.ingester.pass();
});
afterAll(() => {
  index.close();
  tree.remove();
});

async function ctmJson(kind: Kind): Promise<unknown> {
  const out = await buildReport(
    index.db,
    kind,
    { timezone: 'UTC', costMode: 'auto' },
    { tokenLimit: 100_000, now: NOW },
  );
  // Through JSON text, as a script reads it (a key whose value is undefined is not written).
  return JSON.parse(JSON.stringify(await reportJson(out)));
}

describe("ctm's JSON has every key of ccusage 20.0.24's, with its JSON type", () => {
  it.each(['daily', 'weekly', 'monthly', 'session', 'blocks'] as const)('%s', async (kind) => {
    const json = await ctmJson(kind);
    expect(shapeErrors(kind, json)).toEqual([]);
  });

  it('the fixture reaches every optional key and both types of the nullable ones', async () => {
    const daily = (await ctmJson('daily')) as any;
    expect(daily.totals.unpricedModels).toEqual(['acme-9']);
    expect(daily.daily[0].modelBreakdowns.find((m: any) => m.modelName === 'acme-9').missingPricing).toBe(
      true,
    );
    expect(daily.daily[0].modelBreakdowns.find((m: any) => m.modelName !== 'acme-9')).not.toHaveProperty(
      'missingPricing',
    );
    const { blocks } = (await ctmJson('blocks')) as any;
    expect(
      blocks.map((b: any) => [b.isGap, b.isActive, typeOf(b.actualEndTime), typeOf(b.burnRate)]),
    ).toEqual([
      [false, false, 'string', 'null'],
      [true, false, 'null', 'null'],
      [false, true, 'string', 'object'],
    ]);
    expect(blocks[0].usageLimitResetTime).toBe('2026-03-01T15:00:00.000Z');
    expect(blocks[2].tokenLimitStatus.status).toBe('ok');
  });

  it('the check itself catches a missing key, a wrong type and a wrong format', () => {
    expect(
      shapeErrors('session', { sessions: [{ sessionId: 1, lastActivity: '2026-03-01' }], totals: {} }),
    ).toEqual(
      expect.arrayContaining([
        'sessions[].sessionId: number, not string',
        'sessions[].projectPath: missing',
        'sessions[].lastActivity: "2026-03-01" is not ccusage\'s format',
        'totals.totalCost: missing',
      ]),
    );
  });
});
