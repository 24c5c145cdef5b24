import { describe, expect, it } from 'vitest';
import { matchModel, stripDateSuffix } from './match-model.ts';
import { loadPricing } from './load-pricing.ts';

const table = loadPricing();
const idOf = (model: string): string | undefined => matchModel(table, model)?.id;

describe('matchModel', () => {
  it.each([
    // exact ids
    ['claude-opus-4-5', 'claude-opus-4-5'],
    ['claude-3-haiku', 'claude-3-haiku'],
    // date suffix stripped
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['claude-opus-4-20250514', 'claude-opus-4'],
    ['claude-opus-4-1-20250805', 'claude-opus-4-1'],
    ['claude-opus-4-5-20251101', 'claude-opus-4-5'],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
    ['claude-3-5-haiku-20241022', 'claude-3-5-haiku'],
    ['claude-3-haiku-20240307', 'claude-3-haiku'],
    ['claude-3-opus-20240229', 'claude-3-opus'],
    ['claude-3-7-sonnet-20250219', 'claude-3-7-sonnet'],
    // longest family prefix (a variant of a known model)
    ['claude-opus-4-6-fast-preview', 'claude-opus-4-6'],
    ['claude-sonnet-4-5-thinking-20260101', 'claude-sonnet-4-5'],
    ['claude-fable-5-beta', 'claude-fable-5'],
  ])('%s → %s', (model, id) => {
    expect(idOf(model)).toBe(id);
  });

  it.each([
    // never a loose substring: a newer minor version is not its older sibling
    'claude-opus-4-9',
    'claude-opus-4-9-20270101',
    'claude-sonnet-4-7',
    'claude-haiku-4-6',
    'claude-3-5-sonnet-20241022-v2',
    'claude',
    'opus',
    'gpt-5',
    'anthropic/claude-opus-4-5',
    'xclaude-opus-4-5',
    '',
  ])('%s stays unknown', (model) => {
    expect(idOf(model)).toBeUndefined();
  });

  it('claude-opus-4-5 never gets opus-4 prices; 3-5-haiku never gets 3-haiku prices', () => {
    expect(matchModel(table, 'claude-opus-4-5-20251101')!.price.input).toBe(5);
    expect(matchModel(table, 'claude-opus-4-20250514')!.price.input).toBe(15);
    expect(matchModel(table, 'claude-3-5-haiku-20241022')!.price.input).toBe(0.8);
    expect(matchModel(table, 'claude-3-haiku-20240307')!.price.input).toBe(0.25);
  });

  it('stripDateSuffix removes only an 8-digit date at the end', () => {
    expect(stripDateSuffix('claude-x-20250101')).toBe('claude-x');
    expect(stripDateSuffix('claude-x-2025')).toBe('claude-x-2025');
    expect(stripDateSuffix('claude-20250101-x')).toBe('claude-20250101-x');
  });
});
