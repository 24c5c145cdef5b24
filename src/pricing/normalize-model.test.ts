import { describe, expect, it } from 'vitest';
import { normalizeModel } from './normalize-model.ts';

describe('normalizeModel', () => {
  it.each([
    ['claude-opus-4-5', 'claude-opus-4-5'],
    ['claude-opus-4.8', 'claude-opus-4-8'],
    ['anthropic/claude-4.7-opus-20260416', 'claude-opus-4-7'],
    ['openrouter/anthropic/claude-opus-4.8', 'claude-opus-4-8'],
    ['claude-opus-5[1m]', 'claude-opus-5'],
    ['claude-sonnet-5-5[1m][x]', 'claude-sonnet-5-5'],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
    ['global.anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5'],
    ['claude-opus-4-1@20250805', 'claude-opus-4-1'],
    ['claude-opus-4-0', 'claude-opus-4'],
    ['claude-sonnet-4-0-20250514', 'claude-sonnet-4'],
    ['claude-4.0-sonnet', 'claude-sonnet-4'],
    ['claude-3-5-sonnet-latest', 'claude-3-5-sonnet'],
    ['claude-haiku-3-5', 'claude-3-5-haiku'],
    ['claude-3-7-sonnet-20250219', 'claude-3-7-sonnet'],
    ['MiniMax-M2.7', 'minimax-m2-7'],
    ['moonshotai/kimi-k2.6-instruct', 'kimi-k2-6-instruct'],
    ['deepseek-ai/DeepSeek-V4-Pro', 'deepseek-v4-pro'],
    ['  claude-opus-5  ', 'claude-opus-5'],
  ])('%s → %s', (name, id) => {
    expect(normalizeModel(name)).toBe(id);
  });

  it('keeps a date that is not the last segment, and words with dots between letters', () => {
    expect(normalizeModel('claude-20250101-x')).toBe('claude-20250101-x');
    expect(normalizeModel('gpt-x.y')).toBe('gpt-x.y');
  });
});
