import { describe, expect, it } from 'vitest';
import { terminalSafe, terminalSafeData } from './terminal-safe.ts';

describe('terminalSafe', () => {
  it('shows control characters as escapes and keeps newlines, tabs and other text', () => {
    expect(terminalSafe('\u001b]0;pwned\u0007\u001b[31mclaude-opus-4-5\u001b[0m')).toBe(
      '\\x1b]0;pwned\\x07\\x1b[31mclaude-opus-4-5\\x1b[0m',
    );
    expect(terminalSafe('a\tb\nc\rd\u007f\u009be')).toBe('a\tb\nc\\x0dd\\x7f\\x9be');
    expect(terminalSafe('claude-opus-5 · 1,234 € 😀')).toBe('claude-opus-5 · 1,234 € 😀');
  });

  it('makes every string of a data value safe, keeping its shape', () => {
    expect(
      terminalSafeData({ n: 1, models: ['x\u001b[2J'], nested: { s: '\u0007', ok: true, none: null } }),
    ).toEqual({
      n: 1,
      models: ['x\\x1b[2J'],
      nested: { s: '\\x07', ok: true, none: null },
    });
  });

  it('keeps what is not a string as it is (Infinity, dates, undefined)', () => {
    const at = new Date(0);
    expect(terminalSafeData({ rate: Infinity, at, gone: undefined, list: [null, 2] })).toEqual({
      rate: Infinity,
      at,
      gone: undefined,
      list: [null, 2],
    });
  });
});
