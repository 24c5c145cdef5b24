import { describe, expect, it } from 'vitest';
import { parseOversizedLine, jsonValueEnd, topLevelType } from './parse-oversized-line.ts';
import { parseLine } from './parse-line.ts';
import { assistantLine } from '../test/fixtures/fixture-lines.ts';
import { seededPick } from '../test/fixtures/seeded-random.ts';

const KEEP = 4096;
function split(line: string, keep = KEEP): [Buffer, Buffer] {
  const b = Buffer.from(line);
  return [b.subarray(0, keep), b.subarray(b.length - keep)];
}
const huge = (o: Partial<Parameters<typeof assistantLine>[0]> = {}): string =>
  assistantLine({
    id: 'msg_big',
    requestId: 'req_big',
    timestamp: '2026-03-01T10:00:00.000Z',
    model: 'claude-opus-4-6',
    input: 12,
    output: 3456,
    cacheWrite: 100,
    cacheWrite1h: 40,
    cacheRead: 9000,
    speed: 'fast',
    webSearch: 2,
    costUSD: 1.25,
    agentId: 'ag1',
    text: 'Ω'.repeat(100_000),
    ...o,
  });

describe('parseOversizedLine', () => {
  it('recovers the same event as a full parse from head + tail only', () => {
    const line = huge();
    const full = parseLine(Buffer.from(line));
    expect(full.kind).toBe('event');
    expect(parseOversizedLine(...split(line))).toEqual(full);
  });

  it('copes with heads and tails cut inside a multi-byte character', () => {
    const line = huge();
    for (const keep of [KEEP - 1, KEEP + 1, KEEP + 2]) {
      expect(parseOversizedLine(...split(line, keep))).toEqual(parseLine(Buffer.from(line)));
    }
  });

  it('a non-assistant oversized line is ignored, not counted', () => {
    const line = huge().replace('"type":"assistant"', '"type":"progress"');
    expect(parseOversizedLine(...split(line))).toEqual({
      kind: 'ignored',
      why: 'other_type',
      type: 'progress',
    });
  });

  it('a huge progress line whose type shows in the head is ignored, even when its usage is out of reach', () => {
    const line = JSON.stringify({
      parentUuid: 'p',
      isSidechain: false,
      type: 'progress',
      data: { message: JSON.parse(huge()) },
      uuid: 'u',
      timestamp: '2026-03-01T10:00:00.000Z',
    });
    expect(parseOversizedLine(...split(line))).toEqual({
      kind: 'ignored',
      why: 'other_type',
      type: 'progress',
    });
  });

  it.each([
    ['{"a":1,"type":"user","message":{', 'user'],
    [' { "parentUuid" : null , "type" : "progress", "data":{', 'progress'],
    ['{"a":{"type":"nested"},"type":"system"', 'system'],
    ['{"a":{"type":"nested"', undefined],
    ['{"message":{"type":"message"', undefined],
    ['{"type":7}', undefined],
    ['[1,2]', undefined],
    ['{"a":"unterminated', undefined],
  ])('topLevelType(%j) → %s', (head, type) => {
    expect(topLevelType(head)).toBe(type);
  });

  it.each<[string, (l: string) => string]>([
    ['no message object in the head', (l) => l.replace('"message":{', '"msg":{')],
    ['no usage in the tail', (l) => l.replace('"usage":{', '"usagE":{')],
    ['garbage after usage', (l) => l.replace(/"timestamp":/, '"timestamp":}}'.slice(0, 13))],
  ])('%s → oversized_unparsed or another skip, never a throw', (_n, f) => {
    const r = parseOversizedLine(...split(f(huge())));
    expect(r.kind).not.toBe('event');
  });

  it('invalid UTF-8 in head or tail is a skip', () => {
    const [head, tail] = split(huge());
    const badHead = Buffer.from(head);
    badHead[10] = 0xff;
    expect(parseOversizedLine(badHead, tail)).toEqual({ kind: 'skipped', reason: 'oversized_unparsed' });
    const badTail = Buffer.from(tail);
    badTail[badTail.length - 10] = 0xff;
    expect(parseOversizedLine(head, badTail)).toEqual({ kind: 'skipped', reason: 'oversized_unparsed' });
  });

  it('random cuts never throw', () => {
    const line = Buffer.from(huge());
    for (let keep = 50; keep < 6000; keep += 97) {
      expect(() =>
        parseOversizedLine(line.subarray(0, keep), line.subarray(line.length - keep)),
      ).not.toThrow();
    }
  });
});

describe('jsonValueEnd', () => {
  it.each([
    ['{"a":{"b":[1,2]}},', 0, 17],
    ['"x\\"y",', 0, 6],
    ['123,', 0, 3],
    ['true}', 0, 4],
    ['{"a":1', 0, -1],
  ])('%s from %i → %i', (s, start, end) => {
    expect(jsonValueEnd(s, start)).toBe(end);
  });
});

describe('parseOversizedLine against the whole line, on random layouts', () => {
  it.each([1, 2, 3, 4, 5, 6])(
    'an event it gives is the whole line’s event; otherwise it skips (seed %i)',
    (seed) => {
      const pick = seededPick(seed);
      const shuffled = <T>(list: T[]): T[] => {
        const out = [...list];
        for (let i = out.length - 1; i > 0; i--) {
          const j = pick(i + 1);
          [out[i], out[j]] = [out[j]!, out[i]!];
        }
        return out;
      };
      const events = { event: 0, other: 0 };
      for (let round = 0; round < 40; round++) {
        const line = JSON.parse(
          huge({ id: `msg_${round}`, input: pick(500), output: pick(5000), cacheRead: pick(9000) }),
        ) as Record<string, any>;
        const decoy = { usage: { input_tokens: 777_777, output_tokens: 1 }, n: pick(9) };
        const blocks: unknown[] = [{ type: 'text', text: 'ß'.repeat(3 * KEEP + pick(KEEP)) }];
        // A tool's input near the end of the content may hold a "usage" object of its own.
        if (pick(2) === 0)
          blocks.push({ type: 'tool_use', id: 't', name: 'x', input: pick(2) ? decoy : { decoy } });
        line.message.content = blocks;
        if (pick(4) === 0) line.type = ['user', 'progress', 'cost-state'][pick(3)];
        if (pick(4) === 0) line.message = Object.fromEntries(shuffled(Object.entries(line.message)));
        const top = pick(4) === 0 ? shuffled(Object.entries(line)) : Object.entries(line);
        if (pick(6) === 0) top.push(['timestamp', '2026-04-01T00:00:00.000Z']); // a key twice: the last wins
        const text = '{' + top.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',') + '}';
        const whole = parseLine(Buffer.from(text));
        const got = parseOversizedLine(...split(text));
        const context = JSON.stringify({
          seed,
          round,
          keys: top.map(([k]) => k),
          message: Object.keys(line.message),
        });
        if (got.kind === 'event') {
          events.event++;
          expect(got, context).toEqual(whole);
        } else {
          events.other++;
          expect(got.kind === 'skipped' || got.kind === 'ignored', context).toBe(true);
          if (whole.kind !== 'event') continue;
          // Only a layout it cannot read from head and tail makes it give up on a line that counts, and it says
          // so: one where the message's id or model is not before its content, or its usage not after it.
          expect(got, context).toEqual({ kind: 'skipped', reason: 'oversized_unparsed' });
          const at = (k: string) => Object.keys(line.message).indexOf(k);
          const readable =
            at('id') < at('content') && at('model') < at('content') && at('usage') > at('content');
          expect(readable, context).toBe(false);
        }
      }
      expect(events.event).toBeGreaterThan(5);
    },
  );
});
