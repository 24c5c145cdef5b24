// The hand-written validator must agree with the valibot schema (the readable spec) on every input: same
// verdict, same skip reason, same output. Checked on a real line and on many mutations of each field.
import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { assistantLineSchema, IMPLAUSIBLE } from './usage-line-schema.ts';
import { readAssistantLine } from './read-assistant-line.ts';
import { assistantLine } from '../test/fixtures/fixture-lines.ts';

function viaSchema(json: Record<string, unknown>): unknown {
  const parsed = v.safeParse(assistantLineSchema, json);
  if (parsed.success) return JSON.parse(JSON.stringify(parsed.output));
  if (parsed.issues.some((issue) => issue.received === 'undefined')) return 'missing_field';
  return parsed.issues.every((issue) => issue.message === IMPLAUSIBLE) ? IMPLAUSIBLE : 'wrong_type';
}
function viaHand(json: Record<string, unknown>): unknown {
  const r = readAssistantLine(json);
  return typeof r === 'string' ? r : JSON.parse(JSON.stringify(r));
}

const VALUES: unknown[] = [
  undefined,
  null,
  0,
  7,
  -1,
  1.5,
  1e308,
  100_000_001,
  '',
  'x',
  true,
  false,
  [],
  {},
  { a: 1 },
];
const base = (): Record<string, any> =>
  JSON.parse(
    assistantLine({
      id: 'msg_1',
      timestamp: '2026-05-01T10:00:00.000Z',
      cacheWrite: 300,
      cacheWrite1h: 100,
      webSearch: 2,
      speed: 'fast',
      costUSD: 0.5,
      agentId: 'a1',
      geo: 'us',
      thinking: 4,
      webFetch: 1,
      routerCost: 0.25,
      iterations: [
        { type: 'message', input_tokens: 10, output_tokens: 5 },
        {
          type: 'advisor_message',
          model: 'claude-fable-5-1',
          input_tokens: 10,
          output_tokens: 5,
          cache_read_input_tokens: 3,
          cache_creation_input_tokens: 2,
          cache_creation: { ephemeral_5m_input_tokens: 2, ephemeral_1h_input_tokens: 0 },
        },
      ],
    }),
  );
const PATHS = [
  ['timestamp'],
  ['sessionId'],
  ['cwd'],
  ['gitBranch'],
  ['version'],
  ['isSidechain'],
  ['agentId'],
  ['requestId'],
  ['costUSD'],
  ['message'],
  ['message', 'id'],
  ['message', 'model'],
  ['message', 'usage'],
  ['message', 'usage', 'input_tokens'],
  ['message', 'usage', 'output_tokens'],
  ['message', 'usage', 'cache_creation_input_tokens'],
  ['message', 'usage', 'cache_read_input_tokens'],
  ['message', 'usage', 'cache_creation'],
  ['message', 'usage', 'cache_creation', 'ephemeral_5m_input_tokens'],
  ['message', 'usage', 'cache_creation', 'ephemeral_1h_input_tokens'],
  ['message', 'usage', 'server_tool_use'],
  ['message', 'usage', 'server_tool_use', 'web_search_requests'],
  ['message', 'usage', 'server_tool_use', 'web_fetch_requests'],
  ['message', 'usage', 'output_tokens_details'],
  ['message', 'usage', 'output_tokens_details', 'thinking_tokens'],
  ['message', 'usage', 'iterations'],
  ['message', 'usage', 'iterations', '0'],
  ['message', 'usage', 'iterations', '1', 'type'],
  ['message', 'usage', 'iterations', '1', 'model'],
  ['message', 'usage', 'iterations', '1', 'input_tokens'],
  ['message', 'usage', 'iterations', '1', 'cache_creation'],
  ['message', 'usage', 'iterations', '1', 'cache_creation', 'ephemeral_1h_input_tokens'],
  ['message', 'usage', 'service_tier'],
  ['message', 'usage', 'speed'],
  ['message', 'usage', 'inference_geo'],
  ['message', 'usage', 'cost'],
];

function setPath(obj: Record<string, any>, path: string[], value: unknown): void {
  let o = obj;
  for (const k of path.slice(0, -1)) o = o[k];
  if (value === undefined) delete o[path.at(-1)!];
  else o[path.at(-1)!] = value;
}

describe('readAssistantLine', () => {
  it('accepts a real line with the same output as the schema', () => {
    const json = base();
    expect(viaHand(json)).toEqual(viaSchema(json));
    expect(typeof viaHand(json)).toBe('object');
  });

  it.each(PATHS.map((p) => [p.join('.')]))('agrees with the schema on every value of %s', (joined) => {
    const path = joined.split('.');
    for (const value of VALUES) {
      const json = base();
      setPath(json, path, value);
      expect([joined, value, viaHand(json)]).toEqual([joined, value, viaSchema(json)]);
    }
  });

  it('agrees when two fields are wrong at once (missing wins over wrong type)', () => {
    for (const [a, b] of [
      [['timestamp'], ['message', 'usage', 'input_tokens']],
      [['message', 'id'], ['costUSD']],
    ] as const) {
      for (const va of VALUES)
        for (const vb of VALUES) {
          const json = base();
          setPath(json, [...a], va);
          setPath(json, [...b], vb);
          expect(viaHand(json)).toEqual(viaSchema(json));
        }
    }
  });
});
