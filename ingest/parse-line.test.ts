import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLine, parseWhole, totalTokens, type LineResult, type UsageEvent } from './parse-line.ts';
import {
  advisorIteration,
  assistantLine,
  costStateLine,
  limitHitLine,
  userLine,
} from '../test/fixtures/fixture-lines.ts';
import { mulberry32 } from '../test/fixtures/seeded-random.ts';

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

describe('parseLine: timestamps', () => {
  // The machine's zone must not matter (Node reads a changed TZ at once).
  const tz = process.env.TZ;
  beforeAll(() => void (process.env.TZ = 'Asia/Tokyo'));
  afterAll(() => void (process.env.TZ = tz));

  it.each([
    ['2026-03-01T10:00:00.000Z', Date.UTC(2026, 2, 1, 10)],
    ['2026-03-01T19:00:00+09:00', Date.UTC(2026, 2, 1, 10)],
    ['2026-03-01T05:00:00-0500', Date.UTC(2026, 2, 1, 10)],
    ['2026-03-01T05:00:00-05', Date.UTC(2026, 2, 1, 10)],
    ['2026-03-01T15:30:00.250+0530', Date.UTC(2026, 2, 1, 10, 0, 0, 250)],
    ['2026-03-01T10:00', Date.UTC(2026, 2, 1, 10)],
    ['2026-03-01T10:00:00', Date.UTC(2026, 2, 1, 10)],
    ['2028-02-29T10:00:00Z', Date.UTC(2028, 1, 29, 10)],
    ['2000-02-29T10:00:00Z', Date.UTC(2000, 1, 29, 10)],
  ])('%s is read as %i (no zone: UTC, whatever TZ says)', (timestamp, want) => {
    expect(event(assistantLine({ id: 'msg_t', timestamp })).ts).toBe(want);
  });
});

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
      key: 'msg_1',
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
      geo: null,
      input: 11,
      output: 22,
      cacheWrite5m: 200,
      cacheWrite1h: 100,
      cacheRead: 44,
      thinking: 0,
      webSearchRequests: 3,
      webFetchRequests: 0,
      costLoggedUsd: 0.5,
      advisorOf: null,
    });
    expect(totalTokens(e)).toBe(11 + 22 + 300 + 44);
  });

  it('the key is message.id alone, with or without a requestId (one response = one message id)', () => {
    expect(event(assistantLine({ id: 'msg_9', requestId: null, timestamp: ts })).key).toBe('msg_9');
    expect(event(mutate((l) => (l.requestId = null))).key).toBe('msg_1');
    expect(event(assistantLine({ id: 'msg_9', requestId: 'req_x', timestamp: ts })).key).toBe('msg_9');
  });

  it('US-only inference, thinking tokens (part of output, never added) and web fetches are read', () => {
    const e = event(
      assistantLine({
        id: 'm',
        timestamp: ts,
        output: 500,
        thinking: 300,
        geo: 'us',
        webSearch: 2,
        webFetch: 4,
      }),
    );
    expect(e).toMatchObject({
      geo: 'us',
      output: 500,
      thinking: 300,
      webSearchRequests: 2,
      webFetchRequests: 4,
    });
    expect(totalTokens(e)).toBe(10 + 500);
  });

  it('advisor iterations are rows of their own model; message iterations repeat the top level and are never added', () => {
    const r = parse(
      assistantLine({
        id: 'msg_a',
        timestamp: ts,
        model: 'claude-sonnet-5-5',
        input: 100,
        output: 50,
        speed: 'fast',
        geo: 'us',
        iterations: [
          { type: 'message', input_tokens: 100, output_tokens: 50 },
          advisorIteration('claude-fable-5-1', 2000, 700, 300),
          { type: 'message', input_tokens: 100, output_tokens: 50 },
          advisorIteration('claude-fable-5-1', 10, 20),
        ],
      }),
    );
    if (r.kind !== 'event') throw new Error(JSON.stringify(r));
    expect(r.event).toMatchObject({ key: 'msg_a', model: 'claude-sonnet-5-5', input: 100, output: 50 });
    expect(r.advisors).toHaveLength(2);
    expect(r.advisors[0]).toMatchObject({
      key: 'msg_a:advisor:0',
      messageId: 'msg_a',
      advisorOf: 'msg_a',
      model: 'claude-fable-5-1',
      input: 2000,
      output: 700,
      cacheRead: 300,
      cacheWrite5m: 0,
      speed: null,
      geo: 'us',
      webSearchRequests: 0,
      costLoggedUsd: null,
    });
    expect(r.advisors[1]).toMatchObject({ key: 'msg_a:advisor:1', input: 10, output: 20 });
  });

  it('null token fields count as zero, and a {0, 0} split is no split (routed logs)', () => {
    const e = event(
      mutate((l) => {
        l.message.usage = {
          input_tokens: null,
          output_tokens: 9,
          cache_read_input_tokens: null,
          cache_creation_input_tokens: 40,
          cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
        };
      }),
    );
    expect(e).toMatchObject({ input: 0, output: 9, cacheRead: 0, cacheWrite5m: 40, cacheWrite1h: 0 });
  });

  it("a router's usage.cost is the line's logged cost (costUSD wins when both are there)", () => {
    expect(event(assistantLine({ id: 'm', timestamp: ts, routerCost: 0.0123 })).costLoggedUsd).toBe(0.0123);
    expect(
      event(assistantLine({ id: 'm', timestamp: ts, routerCost: 0.0123, costUSD: 0.5 })).costLoggedUsd,
    ).toBe(0.5);
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

  it('a flat 0 beside a split that holds writes takes the split (Claude Code before 2.1.152 wrote 0)', () => {
    const e = event(
      mutate((l) => {
        l.message.usage.cache_creation_input_tokens = 0;
        l.message.usage.cache_creation = {
          ephemeral_5m_input_tokens: 300,
          ephemeral_1h_input_tokens: 50_000,
        };
      }),
    );
    expect([e.cacheWrite5m, e.cacheWrite1h]).toEqual([300, 50_000]);
    const none = event(
      mutate((l) => {
        l.message.usage.cache_creation_input_tokens = 0;
        l.message.usage.cache_creation = { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 };
      }),
    );
    expect([none.cacheWrite5m, none.cacheWrite1h]).toEqual([0, 0]);
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
    ['attachment', JSON.stringify({ type: 'attachment', attachment: { type: 'file' }, timestamp: ts })],
    ['atis-latch', JSON.stringify({ type: 'atis-latch', usage: { input_tokens: 5 } })],
    ['an unknown type of tomorrow', JSON.stringify({ type: 'artifact-preview', message: { usage: {} } })],
  ])('%s', (_name, line) => {
    expect(parse(line)).toEqual({ kind: 'ignored', why: 'other_type', type: JSON.parse(line).type });
  });

  it('<synthetic> model', () => {
    expect(parse(assistantLine({ id: 'm', timestamp: ts, model: '<synthetic>' }))).toEqual({
      kind: 'ignored',
      why: 'synthetic',
      type: 'assistant',
    });
  });

  it.each([
    ['no usage', (l: any) => delete l.message.usage],
    ['usage null', (l: any) => (l.message.usage = null)],
    ['no message', (l: any) => delete l.message],
  ])('assistant line with %s', (_n, f) => {
    expect(parse(mutate(f))).toEqual({ kind: 'ignored', why: 'no_usage', type: 'assistant' });
  });
});

describe("parseLine: Claude Code's own figures and limit hits", () => {
  it("a cost-state line is the session's cumulative cost, model names without [1m]", () => {
    const u = { inputTokens: 5, outputTokens: 6, costUSD: 1.5 };
    expect(parse(costStateLine('s1', 4.25, { 'claude-opus-5[1m]': u, 'claude-haiku-5-5': u }))).toEqual({
      kind: 'costState',
      costState: {
        sessionId: 's1',
        totalCostUsd: 4.25,
        modelUsage: { 'claude-opus-5': u, 'claude-haiku-5-5': u },
      },
    });
  });

  it.each([
    ['no total', JSON.stringify({ type: 'cost-state', sessionId: 's' }), 'missing_field'],
    ['total a string', JSON.stringify({ type: 'cost-state', totalCostUSD: '3' }), 'wrong_type'],
    ['total absurd', JSON.stringify({ type: 'cost-state', totalCostUSD: 1e308 }), 'implausible_usage'],
  ])('a cost-state line with %s is skipped as %s', (_n, line, reason) => {
    expect(parse(line)).toEqual({ kind: 'skipped', reason });
  });

  it('a synthetic rate_limit line is a limit hit (reset in seconds or ms), never usage', () => {
    const hit = (resetsAt: number) =>
      parse(
        limitHitLine({ sessionId: 's1', timestamp: ts, resetsAt, rateLimitType: 'seven_day', uuid: 'u1' }),
      );
    const expected = {
      kind: 'limitHit',
      limitHit: {
        key: 'u1',
        ts: Date.parse(ts),
        sessionId: 's1',
        status: 'rejected',
        rateLimitType: 'seven_day',
        resetsAt: Date.parse('2026-03-01T14:00:00Z'),
      },
    };
    expect(hit(Date.parse('2026-03-01T14:00:00Z') / 1000)).toEqual(expected);
    expect(hit(Date.parse('2026-03-01T14:00:00Z'))).toEqual(expected);
  });
  it('an older limit hit, only the text "Claude AI usage limit reached|<epoch>", is a limit hit too, also when long', () => {
    const reset = Date.parse('2026-03-01T14:00:00Z') / 1000;
    for (const pad of ['', 'x'.repeat(2000)]) {
      const line = JSON.parse(
        assistantLine({ id: 'm', timestamp: ts, model: '<synthetic>', sessionId: 's1' }),
      );
      line.uuid = 'u2';
      line.message.content = [{ type: 'text', text: `Claude AI usage limit reached|${reset}` }];
      if (pad) line.message.content.push({ type: 'text', text: pad });
      expect(parse(JSON.stringify(line))).toEqual({
        kind: 'limitHit',
        limitHit: {
          key: 'u2',
          ts: Date.parse(ts),
          sessionId: 's1',
          status: null,
          rateLimitType: null,
          resetsAt: reset * 1000,
        },
      });
    }
    const other = JSON.parse(assistantLine({ id: 'm', timestamp: ts, model: '<synthetic>' }));
    other.message.content = [{ type: 'text', text: 'Claude AI usage limit reached|soon' }];
    expect(parse(JSON.stringify(other))).toMatchObject({ kind: 'ignored', why: 'synthetic' });
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
    ['negative tokens', mutate((l) => (l.message.usage.output_tokens = -1)), 'implausible_usage'],
    ['fractional tokens', mutate((l) => (l.message.usage.output_tokens = 1.5)), 'implausible_usage'],
    ['1e308 tokens', mutate((l) => (l.message.usage.input_tokens = 1e308)), 'implausible_usage'],
    [
      'tokens beyond 2^53',
      assistantLine({ id: 'm', timestamp: ts }).replace(
        '"input_tokens":10',
        '"input_tokens":9007199254740993',
      ),
      'implausible_usage',
    ],
    [
      'tokens beyond 100M',
      mutate((l) => (l.message.usage.cache_read_input_tokens = 100_000_001)),
      'implausible_usage',
    ],
    [
      'advisor tokens absurd',
      mutate(
        (l) => (l.message.usage.iterations = [{ type: 'advisor_message', model: 'x', input_tokens: 1e12 }]),
      ),
      'implausible_usage',
    ],
    [
      'router cost infinite',
      assistantLine({ id: 'm', timestamp: ts, routerCost: 1 }).replace('"cost":1', '"cost":1e309'),
      'implausible_usage',
    ],
    ['usage a string', mutate((l) => (l.message.usage = 'lots')), 'wrong_type'],
    ['isSidechain a string', mutate((l) => (l.isSidechain = 'yes')), 'wrong_type'],
    ['message.id a number', mutate((l) => (l.message.id = 5)), 'wrong_type'],
    ['negative costUSD', mutate((l) => (l.costUSD = -2)), 'implausible_usage'],
    ['missing message.id', mutate((l) => delete l.message.id), 'missing_field'],
    ['missing model', mutate((l) => delete l.message.model), 'missing_field'],
    ['missing timestamp', mutate((l) => delete l.timestamp), 'missing_field'],
    ['timestamp words', mutate((l) => (l.timestamp = 'yesterday')), 'bad_timestamp'],
    ['timestamp impossible date', mutate((l) => (l.timestamp = '2026-13-45T00:00:00Z')), 'bad_timestamp'],
    ['timestamp as date only', mutate((l) => (l.timestamp = '2026-03-01')), 'bad_timestamp'],
    ['timestamp on 30 February', mutate((l) => (l.timestamp = '2026-02-30T10:00:00Z')), 'bad_timestamp'],
    [
      'timestamp on 29 February of a common year',
      mutate((l) => (l.timestamp = '2026-02-29T10:00:00Z')),
      'bad_timestamp',
    ],
    ['timestamp in 1970', mutate((l) => (l.timestamp = '1970-01-01T00:00:00Z')), 'bad_timestamp'],
    ['timestamp in 9999', mutate((l) => (l.timestamp = '9999-12-31T23:59:59Z')), 'bad_timestamp'],
    ['timestamp at 25 o’clock', mutate((l) => (l.timestamp = '2026-03-01T25:00:00Z')), 'bad_timestamp'],
    ['timestamp a number', mutate((l) => (l.timestamp = 1767225600000)), 'wrong_type'],
  ])('%s → %s', (_name, line, reason) => {
    const input = typeof line === 'string' ? bytes(line) : line;
    expect(parseLine(input)).toEqual({ kind: 'skipped', reason });
  });
});

describe('parseLine against a whole-line parse, on random lines', () => {
  it.each(Array.from({ length: 12 }, (_, i) => i + 1))(
    'gives the verdict of a whole parse, or (the content changed) the unchanged line’s (seed %i)',
    (seed) => {
      const next = mulberry32(seed);
      const pick = (n: number): number => Math.floor(next() * n);
      const chars = [
        'a',
        ' ',
        '"',
        '\\',
        '[',
        ']',
        '{',
        '}',
        ',',
        ':',
        'é',
        '€',
        '😀',
        '\n',
        '\u0001',
        'content',
      ];
      const text = (n: number): string => Array.from({ length: n }, () => chars[pick(chars.length)]).join('');
      const space = (): string => [' ', '', '', '\t', ' \r '][pick(5)]!;
      const key = (k: string): string =>
        k === 'message' && pick(10) === 0 ? '"\\u006dessage"' : JSON.stringify(k);
      /** Serialised with random spacing and key order, now and then a key twice; content values are noted. */
      const regions: [number, number][] = [];
      function write(value: unknown, out: string[], inMessage: boolean): void {
        if (Array.isArray(value)) {
          out.push('[', space());
          value.forEach((v, i) => {
            if (i > 0) out.push(',', space());
            write(v, out, false);
          });
          out.push(space(), ']');
        } else if (value !== null && typeof value === 'object') {
          const entries = Object.entries(value);
          if (pick(3) === 0) entries.sort(() => next() - 0.5);
          if (pick(8) === 0 && entries.length > 0) entries.unshift(entries[pick(entries.length)]!);
          out.push('{', space());
          entries.forEach(([k, v], i) => {
            if (i > 0) out.push(',', space());
            out.push(key(k), space(), ':', space());
            const at = Buffer.byteLength(out.join(''));
            write(v, out, k === 'message');
            if (inMessage && k === 'content') regions.push([at, Buffer.byteLength(out.join(''))]);
          });
          out.push(space(), '}');
        } else out.push(JSON.stringify(value));
      }
      for (let round = 0; round < 60; round++) {
        const line = JSON.parse(
          assistantLine({ id: `msg_${round}`, timestamp: ts, input: pick(1000), output: pick(1000) }),
        ) as Record<string, any>;
        const blocks = Array.from({ length: 1 + pick(4) }, () =>
          pick(2) === 0
            ? { type: 'text', text: text(pick(600)) }
            : { type: 'tool_use', input: { cmd: text(pick(300)), n: [1, { x: text(20) }] } },
        );
        line.message.content = pick(12) === 0 ? text(pick(1200)) : blocks;
        if (pick(6) === 0) line.content = text(50); // a top-level key of that name is not the content
        regions.length = 0;
        const out: string[] = [];
        write(line, out, false);
        const original = Buffer.from(out.join(''));
        // Now and then a byte dropped, one put in, or the line cut short.
        let b = original;
        let at = -1;
        const change = pick(3);
        if (change > 0) {
          at = pick(original.length);
          const put = Buffer.from(['"', '\\', ']', '}', ',', 'x', '\u00ff'][pick(7)]!);
          b =
            change === 1
              ? Buffer.concat([original.subarray(0, at), original.subarray(at + 1)])
              : pick(4) === 0
                ? original.subarray(0, at)
                : Buffer.concat([original.subarray(0, at), put, original.subarray(at)]);
        }
        const got = parseLine(b);
        const want = parseWhole(b);
        if (JSON.stringify(got) === JSON.stringify(want)) continue;
        // The content is only walked, not parsed: a broken content may still count, as the line did unchanged.
        const context = JSON.stringify({ seed, round, at, line: b.toString() });
        expect(want, context).toEqual({ kind: 'skipped', reason: 'invalid_json' });
        expect(
          regions.some(([s, e]) => at >= s && at < e),
          context,
        ).toBe(true);
        expect(got, context).toEqual(parseLine(original));
      }
    },
  );
});
