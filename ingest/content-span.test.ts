import { describe, expect, it } from 'vitest';
import { contentSpan } from './content-span.ts';
import { assistantLine } from '../test/fixtures/fixture-lines.ts';

const spanText = (line: string): string | undefined => {
  const b = Buffer.from(line);
  const span = contentSpan(b);
  return span && b.subarray(span[0], span[1]).toString();
};

describe('contentSpan', () => {
  it('finds message.content exactly, whatever the strings hold', () => {
    const text = 'quotes " and \\" and \\\\ and "content": [ { } ] "message":{ ünïcode';
    const line = assistantLine({ id: 'm', timestamp: '2026-03-01T10:00:00Z', text });
    const content = JSON.parse(line).message.content;
    expect(JSON.parse(spanText(line)!)).toEqual(content);
  });

  it('reads spaced JSON and keys in any order', () => {
    const line = JSON.stringify(
      {
        type: 'assistant',
        message: { usage: { input_tokens: 1 }, content: [{ type: 'text', text: 'x' }], id: 'm' },
      },
      null,
      2,
    );
    expect(JSON.parse(spanText(line)!)).toEqual([{ type: 'text', text: 'x' }]);
  });

  it.each([
    ['no message', '{"type":"user","content":"x"}'],
    ['message without content', '{"message":{"id":"m"},"content":[1]}'],
    ['truncated', '{"message":{"id":"m","content":[{"text":"abc'],
    ['not an object', '[{"message":{"content":[]}}]'],
    ['garbage', '{{{'],
  ])('%s → undefined', (_n, line) => {
    expect(spanText(line)).toBeUndefined();
  });
});
