import { describe, expect, it } from 'vitest';
import { loadStatuslineSettings, type StatuslineSettings } from '../config.ts';
import { statusDocument } from '../../test/fixtures/status-document.ts';
import { clock, compact, duration, renderLine, usd, type LineData } from './render-line.ts';
import { parseStatusInput } from './status-input.ts';
import type { UsageFigures } from './usage-figures.ts';

const now = Date.parse('2026-12-03T11:47:00Z'); // TZ=UTC in the tests
const sec = (iso: string) => Date.parse(iso) / 1000;

const input = parseStatusInput(
  JSON.stringify(
    statusDocument({
      modelId: 'claude-opus-5-5',
      fiveHour: { used: 41.4, resetsAt: sec('2026-12-03T14:00:00Z') },
      sevenDay: { used: 63, resetsAt: sec('2026-12-06T09:00:00Z') },
    }),
  ),
);
const figures: UsageFigures = {
  session: { cost: 1.4249, partial: false },
  today: { cost: 12.8 },
  block: { cost: 4.1, remainingMinutes: 133, tokensPerMinute: 11_900 },
  transcriptMissing: false,
};
const data = (o: Partial<LineData> = {}): LineData => ({
  input,
  figures,
  limits: Object.fromEntries(
    Object.entries(input.rateLimits).map(([k, w]) => [k, { ...w, fromHistory: false }]),
  ),
  notes: [],
  now,
  ...o,
});
const settings = (env: Record<string, string> = {}, color?: boolean): StatuslineSettings =>
  loadStatuslineSettings(env, { color });

describe('renderLine', () => {
  it('the default format: the issue example', () => {
    expect(renderLine(data(), settings())).toBe(
      'opus-5-5 · session $1.42 · today $12.80 · block $4.10, 2h13m left, 11.9k tok/min · ' +
        '5h 41% (resets 14:00) · 7d 63% · ctx 38%',
    );
  });

  it.each([
    ['5h,7d', '5h 41% (resets 14:00) · 7d 63%'],
    ['ctx model', 'ctx 38% · opus-5-5'],
    ['today,today,block', 'today $12.80 · block $4.10, 2h13m left, 11.9k tok/min'],
    ['cache', 'cache cold: tools_changed'],
  ])('CTM_STATUSLINE_FORMAT=%s', (format, line) => {
    const cold = { ...input, promptCache: { ...input.promptCache!, warm: false } };
    expect(renderLine(data({ input: cold }), settings({ CTM_STATUSLINE_FORMAT: format }))).toBe(line);
  });

  it('colours when asked: limits by threshold, the model in cyan, nothing else painted', () => {
    const line = renderLine(data(), settings({ CTM_STATUSLINE_THRESHOLDS: '40,60' }, true));
    expect(line).toContain('\x1b[36mopus-5-5\x1b[0m');
    expect(line).toContain('\x1b[33m5h 41% (resets 14:00)\x1b[0m'); // ≥ 40: yellow
    expect(line).toContain('\x1b[31m7d 63%\x1b[0m'); // ≥ 60: red
    expect(line).toContain('\x1b[32mctx 38%\x1b[0m');
    expect(line).toContain(' · today $12.80 · ');
    expect(renderLine(data(), settings({}, false))).not.toContain('\x1b');
  });

  it('NO_COLOR wins over CTM_STATUSLINE_COLOR, never over --color', () => {
    expect(settings({ CTM_STATUSLINE_COLOR: 'on' }).color).toBe(true);
    expect(settings({ CTM_STATUSLINE_COLOR: 'on', NO_COLOR: '1' }).color).toBe(false);
    expect(settings({ NO_COLOR: '1' }, true).color).toBe(true);
  });

  it('a limit from the history is marked, a spend limit shows its dollars', () => {
    const limits = {
      five_hour: { ...input.rateLimits.five_hour!, fromHistory: true },
      spend_limit: {
        usedPercentage: 8.1,
        resetsAt: now + 86_400_000,
        usedUsd: 16.29,
        limitUsd: 200,
        period: 'monthly',
        fromHistory: false,
      },
    };
    expect(renderLine(data({ limits }), settings({ CTM_STATUSLINE_FORMAT: '5h,7d,spend' }))).toBe(
      '5h ~41% (resets 14:00) · spend $16.29/$200.00 8%',
    );
  });

  it('a window whose reset has passed is left out', () => {
    const past = (w: LineData['limits'][string] | undefined) => ({ ...w!, resetsAt: now - 60_000 });
    const limits = {
      five_hour: past(data().limits.five_hour),
      seven_day: data().limits.seven_day!,
      spend_limit: { ...past(data().limits.five_hour), usedUsd: 1, limitUsd: 2, period: null },
    };
    expect(renderLine(data({ limits }), settings({ CTM_STATUSLINE_FORMAT: '5h,7d,spend' }))).toBe('7d 63%');
  });

  it('without index figures: what the input has, the session as Claude Code counts it, and the notes', () => {
    expect(renderLine(data({ figures: null, notes: ['no index at /d/ctm.db', 'x'] }), settings())).toBe(
      'opus-5-5 · session $1.42 (Claude Code) · 5h 41% (resets 14:00) · 7d 63% · ctx 38% · ' +
        'ctm: no index at /d/ctm.db; x',
    );
  });

  it('a partial session figure, no active block', () => {
    const f = { ...figures, session: { ...figures.session!, partial: true }, block: null };
    expect(renderLine(data({ figures: f }), settings({ CTM_STATUSLINE_FORMAT: 'session,block' }))).toBe(
      'session ≥$1.42 · no block',
    );
  });

  it('a model name and notes from outside: control characters, newlines and bidi overrides escaped', () => {
    const evil = (id: string | null, name: string | null) =>
      renderLine(
        data({ input: { ...input, modelId: id, modelName: name }, notes: ['CTM_TZ: "a\n\u001b[2Jb\u202e"'] }),
        settings({ CTM_STATUSLINE_FORMAT: 'model' }),
      );
    expect(evil('claude-\u001b]0;pwned\u0007evil\nSECOND\r\u009b31m', null)).toBe(
      '\\x1b]0;pwned\\x07evil\\x0aSECOND\\x0d\\x9b31m · ctm: CTM_TZ: "a\\x0a\\x1b[2Jb\\u202e"',
    );
    expect(evil(null, 'Opus\u001b[31mRED\u202eRLO')).toMatch(/^Opus\\x1b\[31mRED\\u202eRLO · /);
  });

  it('a long model name or note is cut with an ellipsis', () => {
    const long = renderLine(
      data({ input: { ...input, modelId: 'm'.repeat(1 << 20) }, notes: ['n'.repeat(1 << 20)] }),
      settings({ CTM_STATUSLINE_FORMAT: 'model' }),
    );
    expect(long).toBe(`${'m'.repeat(63)}… · ctm: ${'n'.repeat(239)}…`);
  });

  it('nothing at all is still a line', () => {
    expect(renderLine(data({ input: parseStatusInput(''), figures: null, limits: {} }), settings())).toBe(
      'ctm',
    );
  });
});

describe('text helpers', () => {
  it.each([
    [0, '$0.00'],
    [0.005, '$0.01'],
    [1234.5, '$1,234.50'],
    [12.999, '$13.00'],
    [999_999_999.99, '$999,999,999.99'],
    [1e9, '$1.0B'],
    [999.96e9, '$1.0T'],
    [1.234e14, '$123.4T'],
    [1e17, '$1.0e+17'],
    [1e300, '$1.0e+300'],
  ])('usd(%d) = %s', (n, s) => expect(usd(n)).toBe(s));

  it.each([
    [999, '999'],
    [11_900, '11.9k'],
    [1_250_000, '1.3M'],
  ])('compact(%d) = %s', (n, s) => expect(compact(n)).toBe(s));

  it('duration and clock', () => {
    expect(duration(45)).toBe('45m');
    expect(duration(133)).toBe('2h13m');
    expect(clock(Date.parse('2026-12-03T14:00:00Z'), now)).toBe('14:00');
    expect(clock(Date.parse('2026-12-06T09:00:00Z'), now)).toBe('Sun 09:00');
  });
});
