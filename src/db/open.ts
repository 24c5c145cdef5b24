// Opens the SQLite index: WAL, a busy timeout so readers never fail on a writer's lock, and the numbered
// migrations applied on the writer's open. Readers open read-only and never migrate.
import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { ConfigError } from '../config.ts';
import { migrate } from './migrate.ts';
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
}

export function openDb(path: string, options: OpenOptions = {}): Db {
  const setting = options.setting ?? 'CTM_DATA_DIR';
  if (path !== ':memory:' && !options.readonly) {
    try {
      mkdirSync(dirname(path), { recursive: true });
      accessSync(dirname(path), constants.W_OK);
    } catch (error) {
      throw new ConfigError(
        setting,
        `data dir ${dirname(path)} is not writable (${(error as Error).message})`,
      );
    }
  }
  let db: Db;
  try {
    db = new Database(path, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
    });
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!options.readonly) {
      useWal(db);
      db.pragma('synchronous = NORMAL');
      migrate(db);
    } else {
      db.pragma('query_only = ON');
    }
    db.pragma('cache_size = -32000');
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(setting, `cannot open the database ${path}: ${(error as Error).message}`);
  }
  return db;
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
