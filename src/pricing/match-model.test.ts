import { describe, expect, it } from 'vitest';
import { matchModel } from './match-model.ts';
import { loadPricing } from './load-pricing.ts';

const table = loadPricing();
const idOf = (model: string): string | undefined => matchModel(table, model)?.id;

describe('matchModel', () => {
  it.each([
    ['claude-opus-4-5', 'claude-opus-4-5'],
    ['claude-3-haiku', 'claude-3-haiku'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-opus-4-20250514', 'claude-opus-4'],
    ['claude-opus-4-1-20250805', 'claude-opus-4-1'],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
    ['claude-3-5-haiku-20241022', 'claude-3-5-haiku'],
    ['claude-3-7-sonnet-20250219', 'claude-3-7-sonnet'],
    ['claude-opus-4-6-fast-preview', 'claude-opus-4-6'],
    // the models overview's aliases of Opus 4 and Sonnet 4
    ['claude-opus-4-0', 'claude-opus-4'],
    ['claude-sonnet-4-0', 'claude-sonnet-4'],
    ['anthropic/claude-sonnet-4.0', 'claude-sonnet-4'],
    ['claude-sonnet-4-5-thinking-20260101', 'claude-sonnet-4-5'],
    ['claude-fable-5-beta', 'claude-fable-5'],
    // as 2026 logs spell them
    ['claude-opus-4.8', 'claude-opus-4-8'],
    ['anthropic/claude-4.7-opus-20260416', 'claude-opus-4-7'],
    ['openrouter/anthropic/claude-sonnet-4.6', 'claude-sonnet-4-6'],
    ['us.anthropic.claude-opus-4-5-20251101-v1:0', 'claude-opus-4-5'],
    ['claude-opus-4-5@20251101', 'claude-opus-4-5'],
    ['claude-opus-5[1m]', 'claude-opus-5'],
    ['claude-opus-5-5', 'claude-opus-5-5'],
    ['Claude-Haiku-5-5', 'claude-haiku-5-5'],
    ['claude-mythos-5-1', 'claude-mythos-5-1'],
    ['claude-mythos-preview', 'claude-mythos-preview'],
    ['deepseek-v4-pro', 'deepseek-v4-pro'],
    ['deepseek-ai/deepseek-v4-flash', 'deepseek-v4-flash'],
    ['MiniMax-M2.7', 'MiniMax-M2.7'],
    ['minimax-m2.7-highspeed', 'MiniMax-M2.7-highspeed'],
  ])('%s → %s', (model, id) => {
    expect(idOf(model)).toBe(id);
  });

  it.each([
    'claude-opus-4-9',
    'claude-opus-4-9-20270101',
    'claude-opus-4-0-9',
    'claude-sonnet-4-00',
    'claude-sonnet-4-7',
    'claude-haiku-4-6',
    'claude-opus-5-6',
    'claude',
    'opus',
    'gpt-5',
    'xclaude-opus-4-5',
    'moonshotai/kimi-k2.6',
    '',
  ])('%s stays unknown', (model) => {
    expect(idOf(model)).toBeUndefined();
  });

  it('claude-opus-4-5 never gets opus-4 prices; 3-5-haiku never gets 3-haiku prices', () => {
    const input = (m: string) => matchModel(table, m)!.periods[0]!.price.input;
    expect(input('claude-opus-4-5-20251101')).toBe(5);
    expect(input('claude-opus-4-20250514')).toBe(15);
    expect(input('claude-3-5-haiku-20241022')).toBe(0.8);
    expect(input('claude-3-haiku-20240307')).toBe(0.25);
  });
});
