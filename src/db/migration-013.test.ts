// Migration 013 narrows messages_day to (day, model), also in the list a killed cold load left of the indexes
// it is to build again, so the next open does not bring the wide one back.
import { expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openDb } from './open.ts';
import { createMessageStore } from '../../ingest/message-store.ts';
import { loadPricing } from '../pricing/load-pricing.ts';
import { indexBefore, leaveKilledColdLoad } from '../../test/fixtures/old-index.ts';

const dayIndexColumns = (db: Database.Database): string[] =>
  (db.prepare(`SELECT name FROM pragma_index_info('messages_day')`).all() as { name: string }[]).map(
    (r) => r.name,
  );

function beforeMigration(): string {
  const { path, raw } = indexBefore(13);
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
  leaveKilledColdLoad(raw, ['messages_day', 'messages_ts']);
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
