// Applies migrations/NNN-name.sql in order, all missing ones in one write transaction, tracked with PRAGMA user_version;
// safe when several processes open one fresh index at once. The SQL files are the schema's history: never edit
// one that has shipped, add the next number.
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
// getBuiltinModule, not an ESM import: no facade evaluating every lazy export of node:fs on each CLI start.
const { readdirSync, readFileSync } = process.getBuiltinModule('node:fs');

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(dir = migrationsDir): Migration[] {
  return readdirSync(dir)
    .filter((name) => /^\d{3}-[\w-]+\.sql$/.test(name))
    .sort()
    .map((name) => ({ version: Number(name.slice(0, 3)), name, sql: readFileSync(dir + name, 'utf8') }));
}

/** The schema version this ctm writes: the number of its last migration (file names only, nothing read). */
export function latestVersion(dir = migrationsDir): number {
  const names = readdirSync(dir).filter((name) => /^\d{3}-[\w-]+\.sql$/.test(name));
  return names.reduce((n, name) => Math.max(n, Number(name.slice(0, 3))), 0);
}

export function migrate(db: Database.Database, migrations = loadMigrations()): number {
  const latest = migrations.at(-1)?.version ?? 0;
  const version = (): number => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > latest) {
      throw new Error(`database schema version ${current} is newer than this ctm (${latest}); upgrade ctm`);
    }
    return current;
  };
  // Read without a lock first, so an index already up to date (every open but the first) takes no write lock.
  const current = version();
  if (!migrations.some((m) => m.version > current)) return current;
  // Every missing step in one write transaction (BEGIN IMMEDIATE): a fresh index is made with one commit, not
  // one per step, and it gets all of the schema or none of it. The version is read again under the lock:
  // another process opening the same fresh index may have applied steps since, and only missing ones run.
  return db
    .transaction(() => {
      let now = version();
      for (const m of migrations) {
        if (m.version <= now) continue;
        db.exec(m.sql);
        now = m.version;
      }
      db.pragma(`user_version = ${now}`);
      return now;
    })
    .immediate();
}
