// Migration 013 narrows messages_day to (day, model), also in the list a killed cold load left of the indexes
// it is to build again, so the next open does not bring the wide one back.
import { afterEach, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { loadMigrations, migrate } from './migrate.ts';
import { openDb } from './open.ts';
import { createMessageStore } from '../../ingest/message-store.ts';
import { loadPricing } from '../pricing/load-pricing.ts';
import { tempDir } from '../../test/fixtures/fixture-tree.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const dayIndexColumns = (db: Database.Database): string[] =>
  (db.prepare(`SELECT name FROM pragma_index_info('messages_day')`).all() as { name: string }[]).map(
    (r) => r.name,
  );

function beforeMigration(): string {
  const dir = tempDir();
  dirs.push(dir);
  const path = join(dir, 'ctm.db');
  const raw = new Database(path);
  migrate(
    raw,
    loadMigrations().filter((m) => m.version < 13),
  );
  expect(dayIndexColumns(raw)).toHaveLength(17);
  raw.close();
  return path;
}

it('narrows messages_day to the day and the model', () => {
  const db = openDb(beforeMigration());
  expect(dayIndexColumns(db)).toEqual(['day', 'model']);
  db.close();
});

it('a cold load killed before 013 builds the narrow index when it is next opened', () => {
  const path = beforeMigration();
  const raw = new Database(path);
  // What a cold load leaves when killed after dropping its indexes (message-store.ts's deferIndexes).
  const deferred = raw
    .prepare(
      `SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL
         AND name IN ('messages_day', 'messages_ts')`,
    )
    .all();
  raw.prepare(`INSERT INTO meta (key, value) VALUES ('deferred_indexes', ?)`).run(JSON.stringify(deferred));
  raw.exec('DROP INDEX messages_day; DROP INDEX messages_ts');
  raw.close();

  const db = openDb(path);
  const saved = JSON.parse(
    db.prepare(`SELECT value FROM meta WHERE key = 'deferred_indexes'`).pluck().get() as string,
  );
  expect(saved).toEqual([
    { name: 'messages_day', sql: 'CREATE INDEX messages_day ON messages (day, model) WHERE superseded = 0' },
    expect.objectContaining({ name: 'messages_ts' }),
  ]);
  db.exec('DROP INDEX messages_day'); // as if the migration had run before the kill: only the list brings it back
  createMessageStore(db, { timezone: 'UTC', pricing: loadPricing() });
  expect(dayIndexColumns(db)).toEqual(['day', 'model']);
  expect(db.prepare(`SELECT count(*) FROM sqlite_schema WHERE name = 'messages_ts'`).pluck().get()).toBe(1);
  db.close();
});
