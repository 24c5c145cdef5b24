// The project or session key of a page slug (page-slug.ts), for the routes that render a page from its path
// (the on-demand twins, the prerender helper): an escaped slug decodes to its key (whose loader then finds it
// or not), a hashed one is looked up among the keys with its prefix. Undefined for what pageSlug never writes.
import type { Db } from '../db/open.ts';
import { keysWithPrefix, type KeyKind } from '../db/queries/keys-with-prefix.ts';
import { pageSlug, parseSlug } from './page-slug.ts';

export function slugKey(db: Db, kind: KeyKind, slug: string): string | undefined {
  const parsed = parseSlug(slug);
  if (!parsed) return undefined;
  if ('key' in parsed) return parsed.key;
  return keysWithPrefix(db, kind, parsed.prefix).find((key) => pageSlug(key) === slug);
}
