// The machines and users the index holds, as reports name them (this machine's own rows, stored under '', by
// its CTM_MACHINE and CTM_USER): the keys of the site's machines and users pages, which exist only when there
// is more than one of either. Read from usage_daily, a few rows a day, so a hub's millions cost nothing here.
import type { Db } from '../open.ts';
import { displayName, type LocalNames } from '../machine-names.ts';
import { prepareCached } from './prepare-cached.ts';

export interface TeamNames {
  machines: string[];
  users: string[];
}

export function teamNames(db: Db, local: LocalNames): TeamNames {
  // Only a hub stores rows of other machines (migration 007's partial index finds one at once): every other
  // index, read after each commit by the refresh, is one machine and one user without a scan.
  if (!prepareCached(db, "SELECT 1 FROM messages WHERE machine <> '' LIMIT 1").get()) {
    const any = prepareCached(db, 'SELECT 1 FROM usage_daily LIMIT 1').get();
    return any ? { machines: [local.machine], users: [local.user] } : { machines: [], users: [] };
  }
  const names = (column: 'machine' | 'user_name', param: string): string[] =>
    prepareCached(db, `SELECT DISTINCT ${displayName(column, '@' + param)} FROM usage_daily ORDER BY 1`)
      .pluck()
      .all({ [param]: param === 'localMachine' ? local.machine : local.user }) as string[];
  return { machines: names('machine', 'localMachine'), users: names('user_name', 'localUser') };
}
