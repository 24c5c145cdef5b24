import { describe, expect, it } from 'vitest';
import { terminalSafe, terminalSafeData, terminalSafeLine } from './terminal-safe.ts';

describe('terminalSafe', () => {
  it('shows control characters as escapes and keeps newlines, tabs and other text', () => {
    expect(terminalSafe('\u001b]0;pwned\u0007\u001b[31mclaude-opus-4-5\u001b[0m')).toBe(
      '\\x1b]0;pwned\\x07\\x1b[31mclaude-opus-4-5\\x1b[0m',
    );
    expect(terminalSafe('a\tb\nc\rd\u007f\u009be')).toBe('a\tb\nc\\x0dd\\x7f\\x9be');
    expect(terminalSafe('claude-opus-5 · 1,234 € 😀')).toBe('claude-opus-5 · 1,234 € 😀');
  });

  it('shows bidi overrides and isolates as escapes, keeping other non-ASCII text', () => {
    expect(terminalSafe('Opus\u202eRLO\u2066x\u2069 \u202a\u202d')).toBe(
      'Opus\\u202eRLO\\u2066x\\u2069 \\u202a\\u202d',
    );
    expect(terminalSafe('é\u200dü\u2028')).toBe('é\u200dü\u2028');
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

describe('terminalSafeLine', () => {
  it('escapes newlines and tabs as well, so the text stays on one line', () => {
    expect(terminalSafeLine('evil\nSECOND\tLINE\r\u0000\u202e')).toBe(
      'evil\\x0aSECOND\\x09LINE\\x0d\\x00\\u202e',
    );
  });

  it('cuts long text with an ellipsis, never inside an escape or a surrogate pair', () => {
    expect(terminalSafeLine('a'.repeat(10), 10)).toBe('a'.repeat(10));
    expect(terminalSafeLine('a'.repeat(11), 10)).toBe(`${'a'.repeat(9)}…`);
    expect(terminalSafeLine('abcdef\u001b[2J', 10)).toBe('abcdef…');
    expect(terminalSafeLine('abcdefgh😀😀', 10)).toBe('abcdefgh…');
    expect(terminalSafeLine('x'.repeat(1 << 20), 64)).toHaveLength(64);
  });
});
