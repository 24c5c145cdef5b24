// One value from the meta table (e.g. 'last_ingest_at'), or undefined.
import type { Db } from '../open.ts';
import { prepareCached } from './prepare-cached.ts';

export function metaValue(db: Db, key: string): string | undefined {
  const row = prepareCached(db, 'SELECT value FROM meta WHERE key = ?').get(key) as
    { value: string } | undefined;
  return row?.value;
}
