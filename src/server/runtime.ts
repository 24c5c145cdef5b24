// Process-wide state of `ctm start`: config, logger, the event bus behind the SSE stream, the Prometheus
// registry, ingest/build status and read-only connections to the index and to limits.db. Astro bundles its
// own copy of this module into the SSR build, so the state lives on globalThis under one key: the host and the
// bundled /live/ page then share a single instance. Outside `ctm start` (astro dev) it is created from process.env.
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { loadConfig, type Config } from '../config.ts';
import { openDb, type Db } from '../db/open.ts';
import { openLimitsReader } from '../db/limits/open-limits.ts';
import { createLogger, type Logger } from '../log.ts';
import { createMetrics, type Metrics } from './metrics-registry.ts';

export interface RuntimeStatus {
  /** Set while no configured Claude dir has a readable projects/ folder. */
  noDataReason: string | null;
  /** The first ingest pass of this process has finished. */
  firstPassDone: boolean;
  lastIngestAt: number | null;
  lastBuildAt: number | null;
  lastBuildError: string | null;
  /** When a failed build is tried again. */
  buildRetryAt: number | null;
  /** Why the ingest worker is not running (it exited, or could not start its passes); null while it is. */
  ingestDown: string | null;
  /** Ingest passes failed in a row since the last good one, and the last one's error. */
  failedPasses: number;
  lastPassError: string | null;
  /** Largest completed 5-hour block, the "max" token limit; computed off the request path. */
  maxBlockTokens: number;
  /** The OTLP receiver while this is a hub (CTM_INGEST_TOKENS). */
  hub: { url: string; machines: number } | null;
  /** The push thread's last outcome while this machine pushes to a hub (CTM_PUSH_URL). */
  push: { url: string; lastPushAt: number | null; lastError: string | null; sent: number } | null;
}

export interface Runtime {
  config: Config;
  log: Logger;
  startedAt: number;
  bus: EventEmitter;
  metrics: Metrics;
  status: RuntimeStatus;
  /** Bumped on every ingest commit; caches key on it. */
  generation: number;
  /** Response caches (live JSON, health), shared by every copy of the route modules. */
  cache: Map<string, { key: string; value: unknown }>;
  /** The shared read-only connection, or null while the database cannot be opened. */
  reader(): Db | null;
  /** A read-only connection to limits.db (the status line's history), or null until a call has written it. */
  limits(): Db | null;
  close(): void;
}

const KEY = Symbol.for('ctm.runtime');
type Holder = { [KEY]?: Runtime };

export function createRuntime(config: Config, log: Logger): Runtime {
  let db: Db | null = null;
  let limitsDb: Db | null = null;
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  const runtime: Runtime = {
    config,
    log,
    startedAt: Date.now(),
    bus,
    metrics: createMetrics({ machine: config.machine, user: config.user }),
    status: {
      noDataReason: null,
      firstPassDone: false,
      lastIngestAt: null,
      lastBuildAt: null,
      lastBuildError: null,
      buildRetryAt: null,
      ingestDown: null,
      failedPasses: 0,
      lastPassError: null,
      maxBlockTokens: 0,
      hub: null,
      push: null,
    },
    generation: 0,
    cache: new Map(),
    reader() {
      if (db?.open) return db;
      if (!existsSync(config.dbPath)) return null;
      try {
        db = openDb(config.dbPath, { readonly: true });
        db.pragma('cache_size = -8000'); // a small page cache keeps the idle server's memory low
        // A first run's writer makes the file, then migrates it in one transaction: until that commits the
        // file has no tables, and the index counts as not there yet (asked again on the next request).
        if (!db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'usage'`).get()) {
          db.close();
          db = null;
        }
      } catch (error) {
        log.warn('database not readable', { error: (error as Error).message });
        db = null;
      }
      return db;
    },
    limits() {
      if (limitsDb?.open) return limitsDb;
      try {
        limitsDb = openLimitsReader(config.dataDir);
      } catch (error) {
        log.warn('limits.db not readable', { error: (error as Error).message });
        limitsDb = null;
      }
      return limitsDb;
    },
    close() {
      if (db?.open) db.close();
      db = null;
      if (limitsDb?.open) limitsDb.close();
      limitsDb = null;
    },
  };
  return runtime;
}

/** Installs the runtime `ctm start` built, before the SSR bundle is loaded. */
export function installRuntime(runtime: Runtime): Runtime {
  (globalThis as Holder)[KEY] = runtime;
  return runtime;
}

export function getRuntime(): Runtime {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    const config = loadConfig(process.env);
    holder[KEY] = createRuntime(config, createLogger(config.logLevel));
  }
  return holder[KEY];
}

export function uninstallRuntime(): void {
  delete (globalThis as Holder)[KEY];
}
