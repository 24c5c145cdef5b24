// What every report page reads from: the configuration, a read-only connection to the index (opened once per
// process and shared by all pages of a build or by the on-demand twin routes) and the query filter.
import { existsSync } from 'node:fs';
import { loadConfig, ConfigError, type Config } from '../config.ts';
import { openDb, type Db } from '../db/open.ts';
import type { SiteFilter } from '../db/queries/site-filter.ts';
import type { SessionListRow } from '../db/queries/session-list.ts';
import type { SessionStartRow } from '../db/queries/session-starts.ts';

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

let shared: { config: Config; db: Db } | undefined;

/** A process of `ctm build` (CTM_BUILD_SUMMARY, set by ctm build) asking for its own config. */
const buildProcess = (given: Config | undefined) => !given && process.env.CTM_BUILD_SUMMARY === '1';

/** `given` is the caller's config (the twin routes get it from the renderer); by default the environment's. */
export function siteContext(given?: Config): SiteContext {
  if (shared && given && shared.config.dbPath !== given.dbPath) {
    shared.db.close();
    shared = undefined;
  }
  if (!shared) {
    const config = given ?? loadConfig(process.env);
    if (!existsSync(config.dbPath)) {
      throw new ConfigError('CTM_DATA_DIR', `no index at ${config.dbPath}; run \`ctm ingest --once\` first`);
    }
    const db = openDb(config.dbPath, { readonly: true });
    // Every commit by the ingester empties this connection's page cache; reading through a memory map keeps
    // the re-reads after a commit cheap (the OS page cache holds the file).
    db.pragma('mmap_size = 1073741824');
    // A build process reads one snapshot of the index, however long it runs and whatever the ingest commits
    // meanwhile: every page it renders agrees with its summary and with itself.
    if (buildProcess(given)) db.exec('BEGIN');
    shared = { config, db };
  }
  const { config, db } = shared;
  return {
    config,
    db,
    // A build process reads its summary of the index; the twin routes (given a config by the server) always
    // read the messages themselves.
    filter: {
      timezone: config.timezone,
      costMode: config.costMode,
      summary: buildProcess(given),
    },
    now: Date.now(),
  };
}
