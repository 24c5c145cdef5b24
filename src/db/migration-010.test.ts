// Migration 010 drops the unused messages_message_id index, also from the list a killed cold load left of
// the indexes it is to build again, so the next open does not bring it back.
import { afterEach, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { latestVersion, loadMigrations, migrate } from './migrate.ts';
import { openDb } from './open.ts';
import { createMessageStore } from '../../ingest/message-store.ts';
import { loadPricing } from '../pricing/load-pricing.ts';
import { tempDir } from '../../test/fixtures/fixture-tree.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const messageIndexes = (db: Database.Database): string[] =>
  db
    .prepare(
      `SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL`,
    )
    .pluck()
    .all() as string[];

it('drops messages_message_id, and a killed cold load does not build it again', () => {
  const dir = tempDir();
  dirs.push(dir);
  const path = join(dir, 'ctm.db');
  const raw = new Database(path);
  migrate(
    raw,
    loadMigrations().filter((m) => m.version < 10),
  );
  expect(messageIndexes(raw)).toContain('messages_message_id');
  // What a cold load leaves when killed after dropping its indexes (message-store.ts's deferIndexes).
  const deferred = raw
    .prepare(
      `SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL
         AND name IN ('messages_message_id', 'messages_ts')`,
    )
    .all();
  raw.prepare(`INSERT INTO meta (key, value) VALUES ('deferred_indexes', ?)`).run(JSON.stringify(deferred));
  raw.exec('DROP INDEX messages_message_id; DROP INDEX messages_ts');
  raw.close();

  const db = openDb(path);
  expect(db.pragma('user_version', { simple: true })).toBe(latestVersion());
  expect(
    JSON.parse(db.prepare(`SELECT value FROM meta WHERE key = 'deferred_indexes'`).pluck().get() as string),
  ).toEqual([expect.objectContaining({ name: 'messages_ts' })]);
  createMessageStore(db, { timezone: 'UTC', pricing: loadPricing() });
  expect(messageIndexes(db)).toContain('messages_ts');
  expect(messageIndexes(db)).not.toContain('messages_message_id');
  expect(db.prepare(`SELECT count(*) FROM meta WHERE key = 'deferred_indexes'`).pluck().get()).toBe(0);
  db.close();
});

it('leaves a fresh index without it', () => {
  const db = new Database(':memory:');
  migrate(db);
  expect(messageIndexes(db)).not.toContain('messages_message_id');
  expect(messageIndexes(db)).toContain('messages_day');
});
