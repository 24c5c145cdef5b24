// Applies migrations/NNN-name.sql in order, each in its own write transaction, tracked with PRAGMA user_version;
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
  let current = version();
  for (const m of migrations) {
    if (m.version <= current) continue;
    // The version is read again under the write lock (BEGIN IMMEDIATE): another process opening the same
    // fresh index may have applied this step since, and a step is applied only by the one that finds it missing.
    current = db
      .transaction(() => {
        const now = version();
        if (now >= m.version) return now;
        db.exec(m.sql);
        db.pragma(`user_version = ${m.version}`);
        return m.version;
      })
      .immediate();
  }
  return current;
}
