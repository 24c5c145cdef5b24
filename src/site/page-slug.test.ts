import { describe, expect, it } from 'vitest';
import { MAX_SLUG, pageSlug } from './page-slug.ts';
import { parseSlug } from '../../test/fixtures/parse-slug.ts';

const HOSTILE = [
  '',
  '.',
  '..',
  '...',
  'index.html',
  'months',
  'MONTHS',
  'con',
  'LPT1',
  '.hidden',
  'a/b',
  '../../etc/passwd',
  'a\\b',
  'q?x#y',
  '50%',
  '%41',
  '~',
  '~~',
  '~2E',
  'tab\there\nnul\u0000',
  'u\u0308ber',
  'über',
  '日本語のプロジェクト',
  '😀 emoji',
  'x'.repeat(300),
  'é'.repeat(60),
  '😀'.repeat(40),
];

describe('pageSlug', () => {
  it('keeps the names Claude Code makes as they are', () => {
    for (const key of ['-home-dev-app-01', '0b6f3c1e-5e55-4000-8000-000000000000', 'agent_a-1', 'month'])
      expect(pageSlug(key)).toBe(key);
  });

  it.each(HOSTILE)('makes a file name and URL segment of %j', (key) => {
    const slug = pageSlug(key);
    expect(slug).toMatch(/^[A-Za-z0-9_~-]+$/);
    expect(slug.length).toBeLessThanOrEqual(MAX_SLUG + 14);
    expect(slug).not.toMatch(/^\./);
    expect(slug).not.toMatch(/^(months|con|prn|aux|nul|com\d|lpt\d|index\.html)$/i);
    expect(encodeURIComponent(slug)).toBe(slug);
    expect(slug.normalize('NFC')).toBe(slug);
  });

  it('gives different keys different slugs, also keys alike but for their Unicode form or length', () => {
    const slugs = HOSTILE.map(pageSlug);
    expect(new Set(slugs).size).toBe(HOSTILE.length);
    expect(pageSlug('x'.repeat(300))).not.toBe(pageSlug('x'.repeat(301)));
    expect(pageSlug('u\u0308ber')).not.toBe(pageSlug('über'));
  });

  it('escapes reversibly and hashes only what is empty, reserved or too long', () => {
    expect(pageSlug('a/b')).toBe('a~2Fb');
    expect(pageSlug('index.html')).toBe('index~2Ehtml');
    expect(pageSlug('über')).toBe('~C3~BCber');
    expect(pageSlug('months')).toMatch(/^months~~[0-9a-f]{12}$/);
    expect(pageSlug('')).toMatch(/^~~[0-9a-f]{12}$/);
    expect(pageSlug('x'.repeat(300))).toBe(
      `${'x'.repeat(MAX_SLUG)}~~${pageSlug('x'.repeat(300)).slice(-12)}`,
    );
    // A prefix ends between characters, never inside one's escape.
    expect(parseSlug(pageSlug('é'.repeat(60)))).toEqual({ prefix: 'é'.repeat(16) });
    for (const key of HOSTILE) {
      const parsed = parseSlug(pageSlug(key));
      if (parsed && 'key' in parsed) expect(parsed.key).toBe(key);
      else expect(key.startsWith((parsed as { prefix: string }).prefix)).toBe(true);
    }
  });

  it('a lone surrogate shares the page of the U+FFFD SQLite stores for it', () => {
    expect(pageSlug('a\ud800b')).toBe(pageSlug('a\ufffdb'));
  });

  it('reads back only the slugs it writes', () => {
    for (const slug of [
      'a~2fb',
      'a~2',
      'a~ZZ',
      'a.b',
      'a b',
      'a%2Fb',
      '~FF',
      'months',
      'x~~123',
      'x~~0123456789ab0',
    ])
      expect(parseSlug(slug), slug).toBeUndefined();
  });
});
