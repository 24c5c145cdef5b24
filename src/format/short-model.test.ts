import { describe, expect, it } from 'vitest';
import { shortModel } from './short-model.ts';

describe('shortModel', () => {
  it.each([
    ['claude-sonnet-4-5-20250929', 'sonnet-4-5'],
    ['claude-opus-4-5', 'opus-4-5'],
    ['acme-9', 'acme-9'],
    ['claude-x-2025', 'x-2025'],
  ])('%s → %s', (id, short) => expect(shortModel(id)).toBe(short));
});
