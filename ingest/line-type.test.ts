import { describe, expect, it } from 'vitest';
import { lineType, quickLineType } from './line-type.ts';

const typeOf = (line: string): string => {
  const bytes = Buffer.from(`garbage\n${line}\n{"type":"next"}`);
  const start = 8;
  return lineType(bytes, start, start + Buffer.byteLength(line));
};

describe('lineType', () => {
  it.each([
    ['{"parentUuid":null,"type":"user","message":{"type":"message"}}', 'user'],
    ['{"type":"summary","summary":"x"}', 'summary'],
    ['{"message":{"type":"inner","content":[{"type":"text"}]},"type":"attachment"}', 'attachment'],
    [
      '{"a":[{"type":"x"}],"b":"he said \\"type\\":\\"no\\"","type":"file-history-delta"}',
      'file-history-delta',
    ],
    ['{"a":"{","type":"mode"}', 'mode'],
    ['{"message":{"type":"inner"}}', '(unknown)'],
    ['{"type": "cost-state", "sessionId": "s1", "totalCostUSD": 1.5}', 'cost-state'],
    ['{ "parentUuid" : null , "type" :\t"user", "message": {"type": "message"} }', 'user'],
    ['{"message": {"type": "inner"}, "note": "type", "type" : "system"}', 'system'],
    ['{"uuid":"u"}', '(none)'],
    ['not json at all', '(none)'],
  ])('%s → %s', (line, expected) => {
    expect(typeOf(line)).toBe(expected);
  });

  it('never reads into the next line', () => {
    expect(typeOf('{"uuid":"u"}')).toBe('(none)');
  });
});

describe('quickLineType', () => {
  it('reads a type that comes before any nested value, and gives up (undefined) otherwise', () => {
    const b = (s: string) => Buffer.from(s);
    expect(quickLineType(b('{"type":"progress","data":{"type":"x"}}'), 0, 40)).toBe('progress');
    const assistant = b('{"message":{"type":"message"},"type":"assistant"}');
    expect(quickLineType(assistant, 0, assistant.length)).toBeUndefined();
    expect(lineType(assistant, 0, assistant.length)).toBe('assistant');
  });
});
