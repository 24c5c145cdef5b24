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

describe('lineType over a whole read', () => {
  it('reads each line of a read buffer within the line: no search runs on to the end of the buffer', () => {
    // 20,000 lines without a compact type in one 1 MiB-like buffer: a search per line to the buffer's end
    // made this quadratic (seconds); within each line it is milliseconds.
    const lines = Array.from({ length: 20_000 }, (_, i) =>
      i % 4 === 0
        ? `{"type": "system", "n": ${i}}`
        : i % 4 === 1
          ? `{"uuid":"u${i}"}`
          : `{"a": "type", "b": ${i}}`,
    );
    const bytes = Buffer.from(lines.join('\n') + '\n');
    const started = performance.now();
    const seen = new Map<string, number>();
    let start = 0;
    for (;;) {
      const end = bytes.indexOf(10, start);
      if (end < 0) break;
      const type = lineType(bytes, start, end);
      seen.set(type, (seen.get(type) ?? 0) + 1);
      start = end + 1;
    }
    expect(Object.fromEntries(seen)).toEqual({ system: 5000, '(none)': 5000, '(unknown)': 10_000 });
    expect(performance.now() - started).toBeLessThan(1500);
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
