import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDb } from './open.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { ConfigError } from '../config.ts';

const dir = mkdtempSync(join(tmpdir(), 'ctm-db-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openDb', () => {
  it('creates the data dir, uses WAL and applies every migration', () => {
    const path = join(dir, 'nested', 'data', 'ctm.db');
    const db = openDb(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(loadMigrations().at(-1)!.version);
    const tables = (
      db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table','view')").all() as { name: string }[]
    ).map((r) => r.name);
    expect(tables).toEqual(
      expect.arrayContaining(['files', 'messages', 'usage', 'ingest_runs', 'meta', 'stats_cache_daily']),
    );
    db.close();
    // Opening again is a no-op for the schema.
    const again = openDb(path);
    expect(again.pragma('user_version', { simple: true })).toBe(loadMigrations().at(-1)!.version);
    again.close();
  });

  it('read-only opens never create, migrate or write', () => {
    expect(() => openDb(join(dir, 'absent.db'), { readonly: true })).toThrow(ConfigError);
    const path = join(dir, 'ro.db');
    openDb(path).close();
    const ro = openDb(path, { readonly: true });
    expect(() => ro.prepare("INSERT INTO meta VALUES ('k', 'v')").run()).toThrow();
    ro.close();
  });

  it('errors name the setting: not writable, not a database', () => {
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => openDb(join(dir, 'file', 'ctm.db'))).toThrow(/^CTM_DATA_DIR: data dir .* is not writable/);
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'bad', 'ctm.db'), 'this is not sqlite'.repeat(100));
    expect(() => openDb(join(dir, 'bad', 'ctm.db'))).toThrow(
      /^CTM_DATA_DIR: cannot open the database .*: file is not a database$/,
    );
    expect(() => openDb(join(dir, 'bad', 'ctm.db'), { setting: 'X_DB' })).toThrow(/^X_DB: /);
  });

  it('a database from a newer ctm is refused, not downgraded', () => {
    const path = join(dir, 'newer.db');
    const raw = new Database(path);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openDb(path)).toThrow(/^CTM_DATA_DIR: .*schema version 999 is newer than this ctm/);
  });
});

describe('migrate', () => {
  it('applies pending migrations in order, each once, each atomically', () => {
    const db = new Database(':memory:');
    const steps = [
      { version: 1, name: '001-a.sql', sql: 'CREATE TABLE a (x);' },
      { version: 2, name: '002-b.sql', sql: 'CREATE TABLE b (x);' },
    ];
    expect(migrate(db, steps.slice(0, 1))).toBe(1);
    expect(migrate(db, steps)).toBe(2);
    expect(migrate(db, steps)).toBe(2);
    const broken = [
      ...steps,
      { version: 3, name: '003-c.sql', sql: 'CREATE TABLE c (x); SELECT nonsense FROM nowhere;' },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'c'").get()).toEqual({ n: 0 });
  });

  it('the shipped migration files are numbered without gaps', () => {
    const versions = loadMigrations().map((m) => m.version);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
  });
});
