import { describe, expect, it } from 'vitest';
import { statusDocument } from '../../test/fixtures/status-document.ts';
import { parseStatusInput } from './status-input.ts';

const resets = 1_796_320_800; // epoch seconds, as Claude Code writes them

describe('parseStatusInput', () => {
  it('a full document with rate_limits, spend_limit and prompt_cache', () => {
    const doc = statusDocument({
      sessionId: 'sess-1',
      transcriptPath: '/t/sess-1.jsonl',
      fiveHour: { used: 41, resetsAt: resets },
      sevenDay: { used: 63.5, resetsAt: resets + 5 * 86400 },
      spendLimit: { used: 8, resetsAt: resets + 86400, usedUsd: 16.29, limitUsd: 200, period: 'monthly' },
    });
    const s = parseStatusInput(JSON.stringify(doc));
    expect(s).toMatchObject({
      sessionId: 'sess-1',
      transcriptPath: '/t/sess-1.jsonl',
      modelId: 'claude-opus-4-5-20251101',
      modelName: 'Opus 4.5',
      claudeCostUsd: 1.42,
      contextPercent: 38,
      problem: null,
    });
    expect(s.rateLimits).toEqual({
      five_hour: { usedPercentage: 41, resetsAt: resets * 1000, usedUsd: null, limitUsd: null, period: null },
      seven_day: {
        usedPercentage: 63.5,
        resetsAt: (resets + 5 * 86400) * 1000,
        usedUsd: null,
        limitUsd: null,
        period: null,
      },
      spend_limit: {
        usedPercentage: 8,
        resetsAt: (resets + 86400) * 1000,
        usedUsd: 16.29,
        limitUsd: 200,
        period: 'monthly',
      },
    });
    expect(s.promptCache).toMatchObject({
      warm: true,
      cachingObserved: true,
      ttl: '5m',
      expiresAt: 1_796_320_000_000,
      requests: 14,
      misses: 1,
      hitRatio: 0.93,
      lastMissCauses: ['tools_changed'],
    });
  });

  it('without rate_limits (API key users, before the first response) and without prompt_cache', () => {
    const s = parseStatusInput(JSON.stringify(statusDocument({ promptCache: null })));
    expect(s.rateLimits).toEqual({});
    expect(s.promptCache).toBeNull();
    expect(s.problem).toBeNull();
  });

  it('a spend limit above 100 % once exceeded, without its dollar figures', () => {
    const s = parseStatusInput(
      JSON.stringify(statusDocument({ spendLimit: { used: 104, resetsAt: resets } })),
    );
    expect(s.rateLimits.spend_limit).toMatchObject({ usedPercentage: 104, usedUsd: null, limitUsd: null });
  });

  it('context from current_usage when used_percentage is missing (older Claude Code)', () => {
    const doc = statusDocument({ contextPercent: null });
    expect(parseStatusInput(JSON.stringify(doc)).contextPercent).toBeCloseTo(38.006, 2);
  });

  it.each([
    ['a string percentage', { five_hour: { used_percentage: '41', resets_at: resets } }],
    ['no reset time', { five_hour: { used_percentage: 41 } }],
    ['a negative percentage', { five_hour: { used_percentage: -1, resets_at: resets } }],
    ['a reset time that is no time', { five_hour: { used_percentage: 41, resets_at: 12 } }],
    ['a reset time in ms of 1985', { five_hour: { used_percentage: 41, resets_at: 500_000_000_000 } }],
    ['a reset time in ms of 1973', { five_hour: { used_percentage: 41, resets_at: 100_000_000_001 } }],
    ['a reset time past 2286', { five_hour: { used_percentage: 41, resets_at: 1e13 } }],
    ['an unsafe window name', { 'Five Hour\n': { used_percentage: 41, resets_at: resets } }],
    ['a window that is not an object', { five_hour: 41 }],
  ])('drops a window with %s', (_, rateLimits) => {
    const doc = { ...statusDocument(), rate_limits: rateLimits };
    expect(parseStatusInput(JSON.stringify(doc)).rateLimits).toEqual({});
  });

  it.each([
    ['seconds of 2001', 1e9, 1e12],
    ['seconds of 2026', resets, resets * 1000],
    ['ms of 2026', resets * 1000 + 5, resets * 1000 + 5],
  ])('takes a reset time in %s', (_, resetsAt, ms) => {
    const doc = {
      ...statusDocument(),
      rate_limits: { five_hour: { used_percentage: 41, resets_at: resetsAt } },
    };
    expect(parseStatusInput(JSON.stringify(doc)).rateLimits.five_hour?.resetsAt).toBe(ms);
  });

  it('keeps a window Claude Code may add later under its own name', () => {
    const doc = {
      ...statusDocument(),
      rate_limits: { seven_day_opus: { used_percentage: 5, resets_at: resets } },
    };
    expect(Object.keys(parseStatusInput(JSON.stringify(doc)).rateLimits)).toEqual(['seven_day_opus']);
  });

  it('fields of the wrong type count as absent', () => {
    const doc = {
      session_id: 42,
      transcript_path: ['x'],
      model: 'opus',
      cost: { total_cost_usd: 'free' },
      context_window: { used_percentage: 400 },
      rate_limits: [],
      prompt_cache: { warm: 'yes', requests: -3, hit_ratio: 2, ttl: '10m' },
    };
    const s = parseStatusInput(JSON.stringify(doc));
    expect(s).toMatchObject({
      sessionId: null,
      transcriptPath: null,
      modelId: null,
      claudeCostUsd: null,
      contextPercent: null,
      rateLimits: {},
      problem: null,
    });
    expect(s.promptCache).toMatchObject({ warm: null, requests: null, hitRatio: null, ttl: null });
  });

  it.each([
    ['empty', '', 'empty'],
    ['blank', ' \n', 'empty'],
    ['an array', '[1,2]', 'not_an_object'],
    ['a number', '42', 'not_an_object'],
    ['not JSON', 'hello', 'not_json'],
  ])('%s input is a problem, not an error', (_, text, problem) => {
    expect(parseStatusInput(text).problem).toBe(problem);
  });

  it('a truncated document still yields its session and transcript', () => {
    const text = JSON.stringify(statusDocument({ sessionId: 'abc', transcriptPath: '/t/a "b".jsonl' }));
    const s = parseStatusInput(text.slice(0, text.indexOf('"workspace"')));
    expect(s).toMatchObject({ problem: 'not_json', sessionId: 'abc', transcriptPath: '/t/a "b".jsonl' });
  });

  it('input the reader stopped at its cap is no document, even when its first bytes are JSON', () => {
    const text = JSON.stringify(statusDocument({ sessionId: 'abc', transcriptPath: '/t/a.jsonl' }));
    expect(parseStatusInput(text + ' '.repeat(100), true)).toMatchObject({
      problem: 'too_large',
      sessionId: 'abc',
      transcriptPath: '/t/a.jsonl',
      modelId: null,
    });
    expect(parseStatusInput('\0'.repeat(1000), true).problem).toBe('too_large');
  });
});
