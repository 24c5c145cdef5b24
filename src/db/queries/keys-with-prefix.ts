// The project or session keys that start with a prefix, for finding the key of a hashed page slug
// (src/site/slug-key.ts). A range over the key's index: SQLite orders text by its UTF-8 bytes, which is the
// order of code points, so every key with the prefix lies between the prefix and its successor.
import type { Db } from '../open.ts';
import { prepareCached } from './prepare-cached.ts';

const COLUMN = { project: 'project', session: 'session_id' } as const;
export type KeyKind = keyof typeof COLUMN;

/** The smallest string above every string that starts with prefix, or undefined when there is none to write. */
function successor(prefix: string): string | undefined {
  const points = Array.from(prefix, (ch) => ch.codePointAt(0)!);
  const last = points.pop();
  if (last === undefined || last === 0x10ffff) return undefined;
  return String.fromCodePoint(...points, last === 0xd7ff ? 0xe000 : last + 1);
}

export function keysWithPrefix(db: Db, kind: KeyKind, prefix: string): string[] {
  const column = COLUMN[kind];
  const upper = successor(prefix);
  const sql =
    `SELECT DISTINCT ${column} FROM usage WHERE ${column} >= ?` +
    (upper === undefined ? '' : ` AND ${column} < ?`) +
    ' ORDER BY 1';
  const keys = prepareCached(db, sql)
    .pluck()
    .all(...(upper === undefined ? [prefix] : [prefix, upper])) as string[];
  return keys.filter((key) => key.startsWith(prefix));
}
