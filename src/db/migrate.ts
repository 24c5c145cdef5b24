// Applies migrations/NNN-name.sql in order, each in its own transaction, tracked with PRAGMA user_version.
// The SQL files are the schema's history; never edit one that has shipped, add the next number.
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

export function migrate(db: Database.Database, migrations = loadMigrations()): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`database schema version ${current} is newer than this ctm (${latest}); upgrade ctm`);
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
