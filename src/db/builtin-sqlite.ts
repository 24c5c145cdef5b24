// The part of better-sqlite3's API that `ctm statusline` uses (prepare → get, all, run, pluck; pragma;
// transaction with .immediate; close), over Node's built-in node:sqlite, so the shared queries run on it
// unchanged. Why: the status line's whole run has 100 ms, and better-sqlite3 loading its 17 modules and addon
// costs ~7 ms of it (11 ms of CPU, which ten concurrent calls share two cores for); node:sqlite is part of the
// Node binary. Errors carry better-sqlite3's codes (SQLITE_BUSY, …).
import type { Db } from './open.ts';
import { immutableName, readOnlyMedia } from './read-only-media.ts';

type NodeSqlite = typeof import('node:sqlite');
type Params = unknown[];

// SQLite's primary result codes by number (an extended code's low byte), as better-sqlite3 names them.
const CODES: Record<number, string> = {
  1: 'SQLITE_ERROR',
  5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED',
  8: 'SQLITE_READONLY',
  10: 'SQLITE_IOERR',
  11: 'SQLITE_CORRUPT',
  13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN',
  19: 'SQLITE_CONSTRAINT',
  26: 'SQLITE_NOTADB',
};

// The extended codes a caller tells apart (readOnlyMedia): a read-only reader that cannot make the WAL's
// shared memory.
const EXTENDED: Record<number, string> = {
  1288: 'SQLITE_READONLY_CANTINIT',
  1544: 'SQLITE_READONLY_DIRECTORY',
};

function wrapError(error: unknown): never {
  const errcode = (error as { errcode?: number }).errcode;
  if (typeof errcode === 'number' && error instanceof Error) {
    const code = EXTENDED[errcode] ?? CODES[errcode & 0xff] ?? `SQLITE_${errcode}`;
    Object.defineProperty(error, 'code', { value: code });
  }
  throw error;
}

function call<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    return wrapError(error);
  }
}

class Statement {
  private plucked = false;
  private readonly s: import('node:sqlite').StatementSync;
  constructor(s: import('node:sqlite').StatementSync) {
    this.s = s;
  }
  pluck(on = true): this {
    this.plucked = on;
    return this;
  }
  raw(on = true): this {
    this.s.setReturnArrays(on);
    return this;
  }
  private first(row: unknown): unknown {
    return this.plucked && row ? Object.values(row as object)[0] : row;
  }
  get(...p: Params): unknown {
    return this.first(call(() => this.s.get(...(p as []))));
  }
  all(...p: Params): unknown[] {
    const rows = call(() => this.s.all(...(p as [])));
    return this.plucked ? rows.map((r) => this.first(r)) : rows;
  }
  run(...p: Params): { changes: number; lastInsertRowid: number | bigint } {
    const r = call(() => this.s.run(...(p as [])));
    return { changes: Number(r.changes), lastInsertRowid: r.lastInsertRowid };
  }
}

class Connection {
  private readonly db: import('node:sqlite').DatabaseSync;
  constructor(db: import('node:sqlite').DatabaseSync) {
    this.db = db;
  }
  get open(): boolean {
    return this.db.isOpen;
  }
  prepare(sql: string): Statement {
    return new Statement(call(() => this.db.prepare(sql)));
  }
  exec(sql: string): this {
    call(() => this.db.exec(sql));
    return this;
  }
  pragma(source: string, options: { simple?: boolean } = {}): unknown {
    const rows = this.prepare(`PRAGMA ${source}`).all();
    return options.simple ? (rows[0] ? Object.values(rows[0] as object)[0] : undefined) : rows;
  }
  transaction<T>(fn: () => T): (() => T) & { immediate: () => T } {
    const run = (begin: string) => (): T => {
      this.exec(begin);
      try {
        const result = fn();
        this.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.isTransaction) this.exec('ROLLBACK');
        throw error;
      }
    };
    return Object.assign(run('BEGIN'), { immediate: run('BEGIN IMMEDIATE') });
  }
  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}

function builtin(): NodeSqlite | null {
  try {
    return (process.getBuiltinModule('node:sqlite') as NodeSqlite | undefined) ?? null;
  } catch {
    return null;
  }
}

export interface LightOptions {
  readonly: boolean;
  /** The busy timeout. */
  timeoutMs: number;
}

/** A connection through node:sqlite, or through better-sqlite3 where this Node has none (22.12). No WAL
 * switch, no migrations: callers that write set those up themselves. A reader of a WAL file it may not
 * write beside (read-only media, another user's data dir) reads it as immutable, as openDb's readers do. */
export function openLightDb(path: string, options: LightOptions): Db {
  if (!options.readonly) return connectLight(path, options);
  const db = connectLight(path, options);
  try {
    // The open succeeds either way; the first read is what needs the shared memory.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return db;
  } catch (error) {
    db.close();
    if (!readOnlyMedia(path, error)) throw error;
    try {
      return connectLight(immutableName(path), options);
    } catch {
      throw error; // the first reason is the one to tell
    }
  }
}

function connectLight(name: string, options: LightOptions): Db {
  const sqlite = builtin();
  if (!sqlite) {
    const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);
    const Database = require('better-sqlite3') as typeof import('better-sqlite3');
    return new Database(name, {
      readonly: options.readonly,
      fileMustExist: options.readonly,
      timeout: options.timeoutMs,
    });
  }
  const db = call(
    () => new sqlite.DatabaseSync(name, { readOnly: options.readonly, timeout: options.timeoutMs }),
  );
  // Only the methods above exist; the status line's tests run every query it makes through this.
  return new Connection(db) as unknown as Db;
}
