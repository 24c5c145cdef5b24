// Migration 010 drops the unused messages_message_id index, also from the list a killed cold load left of
// the indexes it is to build again, so the next open does not bring it back.
import { expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { latestVersion, migrate } from './migrate.ts';
import { openDb } from './open.ts';
import { createMessageStore } from '../../ingest/message-store.ts';
import { loadPricing } from '../pricing/load-pricing.ts';
import { indexBefore, leaveKilledColdLoad } from '../../test/fixtures/old-index.ts';

const messageIndexes = (db: Database.Database): string[] =>
  db
    .prepare(
      `SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL`,
    )
    .pluck()
    .all() as string[];

it('drops messages_message_id, and a killed cold load does not build it again', () => {
  const { path, raw } = indexBefore(10);
  expect(messageIndexes(raw)).toContain('messages_message_id');
  leaveKilledColdLoad(raw, ['messages_message_id', 'messages_ts']);
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
