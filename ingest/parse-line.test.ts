import { describe, expect, it } from 'vitest';
import { parseLine, totalTokens, type LineResult, type UsageEvent } from './parse-line.ts';
import { assistantLine, userLine } from './fixture-lines.ts';

const ts = '2026-03-01T10:00:00.000Z';
const bytes = (s: string): Buffer => Buffer.from(s);
const parse = (s: string): LineResult => parseLine(bytes(s));
function event(s: string): UsageEvent {
  const r = parse(s);
  if (r.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(r)}`);
  return r.event;
}
function mutate(f: (line: Record<string, any>) => void, o = { id: 'msg_1', timestamp: ts }): string {
  const line = JSON.parse(assistantLine(o)) as Record<string, any>;
  f(line);
  return JSON.stringify(line);
}

describe('parseLine: what counts', () => {
  it('an assistant line with usage becomes an event with every stored field', () => {
    const e = event(
      assistantLine({
        id: 'msg_1',
        requestId: 'req_1',
        timestamp: ts,
        model: 'claude-opus-4-6',
        sessionId: 's1',
        cwd: '/home/me/x',
        input: 11,
        output: 22,
        cacheWrite: 300,
        cacheWrite1h: 100,
        cacheRead: 44,
        speed: 'fast',
        webSearch: 3,
        costUSD: 0.5,
        version: '2.0.1',
        gitBranch: 'dev',
        agentId: 'a1',
        isSidechain: true,
      }),
    );
    expect(e).toEqual({
      key: 'msg_1:req_1',
      messageId: 'msg_1',
      requestId: 'req_1',
      ts: Date.parse(ts),
      model: 'claude-opus-4-6',
      sessionId: 's1',
      cwd: '/home/me/x',
      gitBranch: 'dev',
      version: '2.0.1',
      isSidechain: true,
      agentId: 'a1',
      serviceTier: 'standard',
      speed: 'fast',
      input: 11,
      output: 22,
      cacheWrite5m: 200,
      cacheWrite1h: 100,
      cacheRead: 44,
      webSearchRequests: 3,
      costLoggedUsd: 0.5,
    });
    expect(totalTokens(e)).toBe(11 + 22 + 300 + 44);
  });

  it('key is message.id alone when requestId is absent', () => {
    expect(event(assistantLine({ id: 'msg_9', requestId: null, timestamp: ts })).key).toBe('msg_9');
    expect(event(mutate((l) => (l.requestId = null))).key).toBe('msg_1');
  });

  it('cache writes without the 5m/1h split are all 5m', () => {
    const e = event(assistantLine({ id: 'm', timestamp: ts, cacheWrite: 1000 }));
    expect([e.cacheWrite5m, e.cacheWrite1h]).toEqual([1000, 0]);
  });

  it('the split alone (no cache_creation_input_tokens) still counts', () => {
    const e = event(
      mutate((l) => {
        delete l.message.usage.cache_creation_input_tokens;
        l.message.usage.cache_creation = { ephemeral_5m_input_tokens: 7, ephemeral_1h_input_tokens: 5 };
      }),
    );
    expect([e.cacheWrite5m, e.cacheWrite1h]).toEqual([7, 5]);
  });

  it('a 1h figure larger than the total is capped so no tokens are invented', () => {
    const e = event(
      mutate((l) => {
        l.message.usage.cache_creation_input_tokens = 10;
        l.message.usage.cache_creation = { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 50 };
      }),
    );
    expect([e.cacheWrite5m, e.cacheWrite1h]).toEqual([0, 10]);
  });

  it('absent optional usage fields count as zero / null', () => {
    const e = event(
      mutate((l) => {
        l.message.usage = { input_tokens: 3, output_tokens: 4 };
        delete l.sessionId;
        delete l.cwd;
        delete l.isSidechain;
      }),
    );
    expect(e).toMatchObject({
      input: 3,
      output: 4,
      cacheWrite5m: 0,
      cacheWrite1h: 0,
      cacheRead: 0,
      webSearchRequests: 0,
      serviceTier: null,
      speed: null,
      sessionId: null,
      cwd: null,
      isSidechain: false,
    });
  });
});

describe('parseLine: what is ignored (not an error)', () => {
  it.each([
    ['user', userLine('s', ts)],
    ['summary', JSON.stringify({ type: 'summary', summary: 'x', leafUuid: 'u' })],
    ['system', JSON.stringify({ type: 'system', content: 'x', timestamp: ts })],
    ['file-history-snapshot', JSON.stringify({ type: 'file-history-snapshot', snapshot: {} })],
    ['queue-operation', JSON.stringify({ type: 'queue-operation', operation: 'enqueue' })],
    [
      'progress with a copied assistant line',
      JSON.stringify({
        type: 'progress',
        timestamp: ts,
        data: { type: 'agent_progress', message: JSON.parse(assistantLine({ id: 'sub_1', timestamp: ts })) },
      }),
    ],
    ['user with a usage-like tool result', mutate((l) => (l.type = 'user'))],
  ])('%s', (_name, line) => {
    expect(parse(line)).toEqual({ kind: 'ignored', why: 'other_type' });
  });

  it('<synthetic> model', () => {
    expect(parse(assistantLine({ id: 'm', timestamp: ts, model: '<synthetic>' }))).toEqual({
      kind: 'ignored',
      why: 'synthetic',
    });
  });

  it.each([
    ['no usage', (l: any) => delete l.message.usage],
    ['usage null', (l: any) => (l.message.usage = null)],
    ['no message', (l: any) => delete l.message],
  ])('assistant line with %s', (_n, f) => {
    expect(parse(mutate(f))).toEqual({ kind: 'ignored', why: 'no_usage' });
  });
});

describe('parseLine: bad input is a skip reason, never a throw', () => {
  it.each<[string, string | Buffer, string]>([
    ['truncated JSON', assistantLine({ id: 'm', timestamp: ts }).slice(0, 80), 'invalid_json'],
    ['blank', '', 'invalid_json'],
    ['garbage', '{"usage":{ nope', 'invalid_json'],
    [
      'invalid UTF-8',
      Buffer.concat([bytes('{"type":"assistant","x":"'), Buffer.from([0xff, 0xfe]), bytes('"}')]),
      'invalid_utf8',
    ],
    ['binary', Buffer.from([0, 1, 2, 0xc3, 0x28, 0x80, 10]), 'invalid_utf8'],
    ['array', '[{"usage":{}}]', 'not_an_object'],
    ['number', '42', 'not_an_object'],
    ['null', 'null', 'not_an_object'],
    ['tokens as string', mutate((l) => (l.message.usage.input_tokens = '10')), 'wrong_type'],
    ['negative tokens', mutate((l) => (l.message.usage.output_tokens = -1)), 'wrong_type'],
    ['fractional tokens', mutate((l) => (l.message.usage.output_tokens = 1.5)), 'wrong_type'],
    ['usage a string', mutate((l) => (l.message.usage = 'lots')), 'wrong_type'],
    ['isSidechain a string', mutate((l) => (l.isSidechain = 'yes')), 'wrong_type'],
    ['message.id a number', mutate((l) => (l.message.id = 5)), 'wrong_type'],
    ['negative costUSD', mutate((l) => (l.costUSD = -2)), 'wrong_type'],
    ['missing message.id', mutate((l) => delete l.message.id), 'missing_field'],
    ['missing model', mutate((l) => delete l.message.model), 'missing_field'],
    ['missing timestamp', mutate((l) => delete l.timestamp), 'missing_field'],
    ['timestamp words', mutate((l) => (l.timestamp = 'yesterday')), 'bad_timestamp'],
    ['timestamp impossible date', mutate((l) => (l.timestamp = '2026-13-45T00:00:00Z')), 'bad_timestamp'],
    ['timestamp as date only', mutate((l) => (l.timestamp = '2026-03-01')), 'bad_timestamp'],
    ['timestamp a number', mutate((l) => (l.timestamp = 1767225600000)), 'wrong_type'],
  ])('%s → %s', (_name, line, reason) => {
    const input = typeof line === 'string' ? bytes(line) : line;
    expect(parseLine(input)).toEqual({ kind: 'skipped', reason });
  });
});
