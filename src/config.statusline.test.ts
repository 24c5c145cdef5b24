import { describe, expect, it } from 'vitest';
import {
  loadStatuslineConfig,
  loadStatuslineSettings,
  STATUSLINE_PARTS,
  statuslineBudgetMs,
  systemTimezone,
} from './config.ts';

describe('statusline settings', () => {
  it('defaults: every part but cache, no colour, 70/90', () => {
    expect(loadStatuslineSettings({})).toEqual({
      format: STATUSLINE_PARTS.filter((p) => p !== 'cache'),
      color: false,
      thresholds: { warn: 70, alert: 90 },
    });
  });

  it('--format wins over CTM_STATUSLINE_FORMAT; commas or spaces; each part once', () => {
    expect(loadStatuslineSettings({ CTM_STATUSLINE_FORMAT: '5h 7d' }).format).toEqual(['5h', '7d']);
    expect(loadStatuslineSettings({ CTM_STATUSLINE_FORMAT: '5h' }, { format: 'ctx,5h,ctx' }).format).toEqual([
      'ctx',
      '5h',
    ]);
  });

  it.each([
    [
      { CTM_STATUSLINE_FORMAT: 'model,cost' },
      {},
      /^CTM_STATUSLINE_FORMAT: unknown part "cost" \(parts: model/,
    ],
    [{}, { format: 'x' }, /^--format: unknown part "x"/],
    [{ CTM_STATUSLINE_COLOR: 'yes' }, {}, /^CTM_STATUSLINE_COLOR: expected one of on, off/],
    [{ CTM_STATUSLINE_THRESHOLDS: '90,70' }, {}, /^CTM_STATUSLINE_THRESHOLDS: expected two percentages/],
    [{ CTM_STATUSLINE_THRESHOLDS: '80' }, {}, /^CTM_STATUSLINE_THRESHOLDS: /],
  ])('refuses %j %j, naming the setting', (env, flags, message) => {
    expect(() => loadStatuslineSettings(env, flags)).toThrow(message);
  });
});

describe('statusline config', () => {
  it('only what the status line reads: a bad CTM_PORT is none of its business', () => {
    const c = loadStatuslineConfig(
      { CTM_DATA_DIR: '~/d', CTM_TZ: 'Europe/Berlin', CTM_PORT: 'nope', CTM_COST_MODE: 'calculate' },
      {},
      '/home/me',
    );
    expect(c).toEqual({
      dataDir: '/home/me/d',
      dbPath: '/home/me/d/ctm.db',
      timezone: 'Europe/Berlin',
      costMode: 'calculate',
      pricingFile: undefined,
    });
    expect(() => loadStatuslineConfig({ CTM_TZ: 'Mars/Base' })).toThrow(/^CTM_TZ: unknown timezone/);
  });

  it('the machine zone without Intl: TZ when it is an IANA name or a fixed POSIX offset, UTC spellings as UTC', () => {
    expect(systemTimezone({ TZ: 'Asia/Tokyo' })).toBe('Asia/Tokyo');
    expect(systemTimezone({ TZ: 'Etc/UTC' })).toBe('UTC');
    // A POSIX rule with daylight saving is not a zone name: Intl decides (undefined here).
    expect(systemTimezone({ TZ: 'CET-1CEST' })).toBeUndefined();
    // A fixed whole-hour POSIX offset is the Etc zone of that offset (ICU gives UTC for it); `:name` is name.
    expect(systemTimezone({ TZ: 'UTC+3' })).toBe('Etc/GMT+3');
    expect(systemTimezone({ TZ: 'JST-9' })).toBe('Etc/GMT-9');
    expect(systemTimezone({ TZ: '<+04>-4' })).toBe('Etc/GMT-4');
    expect(systemTimezone({ TZ: 'GMT0' })).toBe('UTC');
    expect(systemTimezone({ TZ: ':Europe/Berlin' })).toBe('Europe/Berlin');
    // A fractional offset has no Etc zone, nor has an offset beyond the Etc range.
    expect(systemTimezone({ TZ: '<+0530>-5:30' })).toBeUndefined();
    expect(systemTimezone({ TZ: 'XYZ-15' })).toBeUndefined();
    // The zone it names is what TZ means to the C library: UTC+3 is three hours west of UTC.
    const noon = Date.parse('2026-06-01T12:00:00Z');
    const hour = (zone: string) =>
      new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(noon);
    expect(hour(systemTimezone({ TZ: 'UTC+3' })!)).toBe('09');
    expect(hour(systemTimezone({ TZ: 'JST-9' })!)).toBe('21');
    const fromLink = systemTimezone({});
    expect(fromLink === undefined || fromLink === Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(
      true,
    );
  });
});

describe('statusline budget', () => {
  it.each([
    [undefined, 900],
    ['400', 400],
    ['5', 100],
    ['5000', 900],
    ['soon', 900],
  ])('CTM_STATUSLINE_BUDGET_MS=%s → %d ms', (value, ms) => {
    expect(statuslineBudgetMs({ CTM_STATUSLINE_BUDGET_MS: value })).toBe(ms);
  });
});
