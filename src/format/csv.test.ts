import { describe, expect, it } from 'vitest';
import { csvField, plainNumber, toCsv, type CsvValue } from './csv.ts';
import { parseCsv } from '../../test/fixtures/csv-parse.ts';

describe('csvField', () => {
  it.each<[CsvValue, string]>([
    ['plain', 'plain'],
    ['', ''],
    [null, ''],
    [undefined, ''],
    [true, 'true'],
    [false, 'false'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ['line\nbreak', '"line\nbreak"'],
    ['cr\rhere', '"cr\rhere"'],
    ['crlf\r\n', '"crlf\r\n"'],
    ['naïve café, 東京', '"naïve café, 東京"'],
    ['emoji 🚀', 'emoji 🚀'],
    [new Date('2026-03-01T10:00:00Z'), '2026-03-01T10:00:00.000Z'],
    [new Date(Number.NaN), ''],
    ['2026-03-01T10:00:00.000Z', '2026-03-01T10:00:00.000Z'],
  ])('%j → %j', (value, text) => {
    expect(csvField(value)).toBe(text);
  });

  it.each<[string, string]>([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+1+1', "'+1+1"],
    ['-home-me-repo', "'-home-me-repo"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['=1,2', `"'=1,2"`],
    ['a=b', 'a=b'],
    [" '=x", " '=x"],
  ])('a text field that could be a formula, %j, is written as text: %j', (value, text) => {
    expect(csvField(value)).toBe(text);
  });

  it('numbers are never prefixed, whatever their sign', () => {
    expect(csvField(-5)).toBe('-5');
    expect(csvField(-0.25)).toBe('-0.25');
  });
});

describe('plainNumber', () => {
  it.each<[number, string]>([
    [0, '0'],
    [-0, '0'],
    [1234567, '1234567'],
    [1314670, '1314670'],
    [0.1 + 0.2, '0.30000000000000004'],
    [0.0175, '0.0175'],
    [1e-7, '0.0000001'],
    [1.5e-7, '0.00000015'],
    [-2.5e-9, '-0.0000000025'],
    [1e21, '1000000000000000000000'],
    [1.25e22, '12500000000000000000000'],
    [Number.NaN, ''],
    [Number.POSITIVE_INFINITY, ''],
  ])('%d → %s', (n, text) => {
    expect(plainNumber(n)).toBe(text);
  });

  it('keeps every digit: the text reads back as the very same number', () => {
    for (const n of [Math.PI / 1e9, 1 / 3, 123.456e-12, 9.87654321e-8, Number.MIN_VALUE, 2 ** 70])
      expect(Number(plainNumber(n))).toBe(n);
  });
});

describe('toCsv', () => {
  it('a header row, CRLF after every line, the last one too', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          [1, 'x'],
          [2, null],
        ],
      ),
    ).toBe('a,b\r\n1,x\r\n2,\r\n');
    expect(toCsv(['only'], [])).toBe('only\r\n');
  });

  it('hostile and non-ASCII project names read back as written (with the formula guard)', () => {
    const names = [
      '/home/me/ünïcødé, "quoted"',
      "=cmd|' /C calc'!A0",
      'multi\r\nline\nname',
      '-home-me-repo',
      'プロジェクト',
      '',
    ];
    const text = toCsv(
      ['project', 'cost'],
      names.map((n, i) => [n, i / 7]),
    );
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(['project', 'cost']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(names.map((n) => (/^[=+\-@\t\r]/.test(n) ? `'${n}` : n)));
    expect(rows.slice(1).map((r) => Number(r[1]))).toEqual(names.map((_, i) => i / 7));
  });
});

describe('parseCsv', () => {
  it.each(['a,"b\r\n', 'a,b', 'a,b"c\r\n', '"a"b\r\n'])('rejects %j', (text) => {
    expect(() => parseCsv(text)).toThrow(/^csv: /);
  });
});
