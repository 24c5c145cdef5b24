import { expect, it } from 'vitest';
import { decodeEvents, encodeEvents } from './event-wire.ts';
import { parseLine } from './parse-line.ts';
import { advisorIteration, assistantLine } from '../test/fixtures/fixture-lines.ts';

it('events arrive as they left, every field', () => {
  const r = parseLine(
    Buffer.from(
      assistantLine({
        id: 'm1',
        requestId: null,
        timestamp: '2026-10-01T10:00:00Z',
        geo: 'us',
        speed: 'fast',
        thinking: 3,
        webSearch: 2,
        costUSD: 0.5,
        agentId: 'a1',
        iterations: [advisorIteration('claude-fable-5-1', 10, 20)],
      }),
    ),
  );
  if (r.kind !== 'event') throw new Error('no event');
  const located = [r.event, ...r.advisors].map((event, i) => ({
    event,
    lineNo: 7 + i,
    sessionId: 's',
    agentId: null,
  }));
  expect(decodeEvents(encodeEvents(located))).toEqual(located);
});
