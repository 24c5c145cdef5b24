// The path segment of a project's or session's page, made from its key so that any key gets one that works
// as a file name (build, refresh, snapshot) and as a URL (Astro, nginx, ctm start, file://), whatever it holds.
// Letters, digits, '-' and '_' stay; every other character is written as its UTF-8 bytes, `~XX` each (a '.'
// too: no segment is `.`, `..`, hidden or `index.html`). An empty key, a reserved name or an escape longer
// than MAX_SLUG is cut to a prefix and given `~~` and a hash of the key. The escape is reversible (the tests
// read slugs back with test/fixtures/parse-slug.ts).
import { createHash } from 'node:crypto';

/** Characters of the escaped key before a hash is needed: far below the 255 bytes of a file name. */
export const MAX_SLUG = 100;
export const HASH_CHARS = 12;
export const SAFE = /^[A-Za-z0-9_-]$/;
const ALL_SAFE = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_SLUG}}$`);
// Directories beside the pages (sessions/months/) and names Windows refuses, should a snapshot land there.
const RESERVED = /^(months|con|prn|aux|nul|com\d|lpt\d)$/i;
const utf8 = new TextEncoder();

function escapeChar(ch: string): string {
  if (SAFE.test(ch)) return ch;
  let out = '';
  for (const byte of utf8.encode(ch)) out += `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

function hashOf(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, HASH_CHARS);
}

export function pageSlug(rawKey: string): string {
  // The names Claude Code makes (dashed paths, UUIDs) are their own slug: no per-character work for them.
  if (ALL_SAFE.test(rawKey) && !RESERVED.test(rawKey)) return rawKey;
  // SQLite stores a lone surrogate as U+FFFD: the key as the index holds it, so both spellings share a page.
  const key = rawKey.toWellFormed();
  const pieces = Array.from(key, escapeChar);
  const full = pieces.join('');
  if (full !== '' && full.length <= MAX_SLUG && !RESERVED.test(full)) return full;
  let prefix = '';
  for (const piece of pieces) {
    if (prefix.length + piece.length > MAX_SLUG) break;
    prefix += piece;
  }
  return `${prefix}~~${hashOf(key)}`;
}
