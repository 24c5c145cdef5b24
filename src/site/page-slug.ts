// The path segment of a project's or session's page, made from its key so that any key gets one that works
// as a file name (build, refresh, snapshot) and as a URL (Astro, nginx, ctm start, file://), whatever it holds.
// Letters, digits, '-' and '_' stay; every other character is written as its UTF-8 bytes, `~XX` each (a '.'
// too: no segment is `.`, `..`, hidden or `index.html`). An empty key, a reserved name or an escape longer
// than MAX_SLUG is cut to a prefix and given `~~` and a hash of the key. The escape is reversible (parseSlug);
// a hashed slug is found again by its prefix (slug-key.ts).
import { createHash } from 'node:crypto';

/** Characters of the escaped key before a hash is needed: far below the 255 bytes of a file name. */
export const MAX_SLUG = 100;
const HASH_CHARS = 12;
const SAFE = /^[A-Za-z0-9_-]$/;
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

/** The escaped text back as a string, or undefined when it is no escape pageSlug writes. */
function unescape(body: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < body.length;) {
    const ch = body[i]!;
    if (ch === '~') {
      const hex = body.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 3;
    } else if (SAFE.test(ch)) {
      bytes.push(ch.charCodeAt(0));
      i++;
    } else return undefined;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(new Uint8Array(bytes));
  } catch {
    return undefined;
  }
}

export type ParsedSlug = { key: string } | { prefix: string };

/** The key a slug names (the slug being exactly pageSlug's), or, for a hashed slug, the prefix of its key. */
export function parseSlug(slug: string): ParsedSlug | undefined {
  const cut = slug.indexOf('~~');
  const body = unescape(cut === -1 ? slug : slug.slice(0, cut));
  if (body === undefined) return undefined;
  if (cut === -1) return pageSlug(body) === slug ? { key: body } : undefined;
  return new RegExp(`^[0-9a-f]{${HASH_CHARS}}$`).test(slug.slice(cut + 2)) ? { prefix: body } : undefined;
}
