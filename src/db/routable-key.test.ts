import { describe, expect, it } from 'vitest';
import { routableKey } from './routable-key.ts';

describe('routableKey', () => {
  it('takes the names Claude Code makes and any other plain text', () => {
    for (const key of ['-home-dev-app-01', '0b6f3c1e-5e55-4000-8000-000000000000', 'my project ü', 'a.b_c~d'])
      expect(routableKey(key)).toBe(true);
  });

  it('leaves out names that cannot be a URL path segment', () => {
    for (const key of [
      '',
      '.',
      '..',
      'a/b',
      'a\\b',
      'a#b',
      'a?b',
      '50%',
      'tab\there',
      'nul\u0000',
      'u\u0308ber',
    ])
      expect(routableKey(key)).toBe(false);
  });
});
