// What every report page loads from: the configuration, a read-only connection to the index, the query filter
// and the clock. A build's context reads one snapshot of the index (a read transaction from its first query),
// with the session lists read once for all its pages; the refresh's reads the index as it is, so its pages
// follow every commit. Both read their sums from usage_daily.
import { existsSync } from 'node:fs';
import { ConfigError, type Config } from '../config.ts';
import { openDb, type Db } from '../db/open.ts';
import type { SiteFilter } from '../db/queries/site-filter.ts';
import { sessionList, type SessionListRow } from '../db/queries/session-list.ts';
import { sessionStarts, type SessionStartRow } from '../db/queries/session-starts.ts';

/** Lists a build reads once per process and shares between its pages (one snapshot: they cannot go stale). */
export interface BuildLists {
  sessionStarts: readonly SessionStartRow[];
  sessionRows: ReadonlyMap<string, SessionListRow>;
}

export interface SiteContext {
  config: Config;
  db: Db;
  filter: SiteFilter;
  now: number;
  lists?: BuildLists;
}

export function openSiteContext(config: Config, build: boolean): SiteContext {
  if (!existsSync(config.dbPath)) {
    throw new ConfigError('CTM_DATA_DIR', `no index at ${config.dbPath}; run \`ctm ingest --once\` first`);
  }
  const db = openDb(config.dbPath, { readonly: true });
  const filter: SiteFilter = { timezone: config.timezone, costMode: config.costMode };
  const ctx: SiteContext = { config, db, filter, now: Date.now() };
  if (!build) {
    // Every commit by the ingester empties this connection's page cache; reading through a memory map keeps
    // the re-reads after a commit cheap (the OS page cache holds the file). A build's snapshot reads through
    // SQLite's page cache instead: a mapped page it touched counts in its process's RSS, and the render
    // processes of a hub's 2.2 GB index each held 1.1 GB of the file so (no commit empties a snapshot's cache).
    db.pragma('mmap_size = 1073741824');
    return ctx;
  }
  db.exec('BEGIN');
  const lists = {
    sessionStarts: sessionStarts(db),
    sessionRows: new Map(sessionList(db, filter).map((row) => [row.sessionId, row])),
  };
  return { ...ctx, lists };
}
