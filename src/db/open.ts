// Opens the SQLite index: WAL, a busy timeout so readers never fail on a writer's lock, and the numbered
// migrations applied on the writer's open. Readers open read-only and never migrate; on read-only media,
// where SQLite cannot make the WAL's shared-memory file, a reader opens the file as immutable instead.
import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { ConfigError } from '../config.ts';
import { migrate } from './migrate.ts';
import { immutableName, readOnlyMedia } from './read-only-media.ts';
// node:fs through getBuiltinModule: an ESM import of it builds a facade that evaluates every lazy export
// (fs/promises included), a few ms of each CLI start.
const { mkdirSync, accessSync, constants } = process.getBuiltinModule('node:fs');

const BUSY_TIMEOUT_MS = 5000;
const pause = new Int32Array(new SharedArrayBuffer(4));

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /** The env var that named this path, for error messages. */
  setting?: string;
  /** 'off': no journal and no syncs, for a file nothing else opens until it is complete (fresh-index.ts). */
  journal?: 'wal' | 'off';
}

/** Makes the directory of a writer's index, or says in one line why it cannot be written. */
export function ensureDataDir(path: string, setting = 'CTM_DATA_DIR'): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    accessSync(dirname(path), constants.W_OK);
  } catch (error) {
    throw new ConfigError(setting, `data dir ${dirname(path)} is not writable (${(error as Error).message})`);
  }
}

export function openDb(path: string, options: OpenOptions = {}): Db {
  const setting = options.setting ?? 'CTM_DATA_DIR';
  if (path !== ':memory:' && !options.readonly) ensureDataDir(path, setting);
  try {
    if (!options.readonly) return connect(path, false, options.journal ?? 'wal');
    try {
      return connect(path, true);
    } catch (error) {
      if (!readOnlyMedia(path, error)) throw error;
      try {
        return connect(immutableName(path), true);
      } catch {
        throw error; // the first reason is the one to tell
      }
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(setting, `cannot open the database ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function connect(name: string, readonly: boolean, journal: 'wal' | 'off' = 'wal'): Db {
  const db = new Database(name, { readonly, fileMustExist: readonly });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!readonly) {
      if (journal === 'off') {
        // better-sqlite3's defensive mode refuses journal_mode OFF; it is lifted for this one statement.
        db.unsafeMode(true);
        db.pragma('journal_mode = OFF');
        db.unsafeMode(false);
        db.pragma('synchronous = OFF');
      } else {
        useWal(db);
        db.pragma('synchronous = NORMAL');
      }
      migrate(db);
    } else {
      db.pragma('query_only = ON');
    }
    db.pragma('cache_size = -32000');
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Switching a fresh file to WAL takes an exclusive lock, and SQLite answers SQLITE_BUSY at once, without
 * waiting on the busy timeout, while another connection holds the file (two processes opening a new data dir
 * together): it is retried until the other is done, after which the file is in WAL already and this is a no-op. */
function useWal(db: Db): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      Atomics.wait(pause, 0, 0, 5);
    }
  }
}
