import { describe, expect, it } from 'vitest';
import { safeSegments } from './static-files.ts';

describe('safeSegments', () => {
  it.each([
    ['/', []],
    ['/days/2026-01-01/', ['days', '2026-01-01']],
    ['/_astro/app.1234.js', ['_astro', 'app.1234.js']],
    ['/a%20b/', ['a b']],
  ])('%s is served from %j', (path, segments) => {
    expect(safeSegments(path)).toEqual(segments);
  });

  it.each([
    '/../etc/passwd',
    '/%2e%2e/etc/passwd',
    '/a/%2E%2E/%2E%2E/x',
    '/.git/config',
    '/.env',
    '/a%5c..%5cb',
    '/a%00b',
    '/%E0%A4%A',
  ])('%s is refused', (path) => {
    expect(safeSegments(path)).toBeNull();
  });
});
