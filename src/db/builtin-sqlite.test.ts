import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { holdExclusiveLock } from '../../test/fixtures/hold-lock.ts';
import { join } from 'node:path';
import { tempDir } from '../../test/fixtures/fixture-tree.ts';
import { insertUsageRows } from '../../test/fixtures/seed-usage-db.ts';
import { openDb } from './open.ts';
import { openLightDb } from './builtin-sqlite.ts';
import { todayByModel } from './queries/today-by-model.ts';
import { usageTimeline } from './queries/usage-timeline.ts';
import { findActiveBlock } from '../server/find-active-block.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function index() {
  const dir = tempDir('ctm-light-');
  dirs.push(dir);
  const path = join(dir, 'ctm.db');
  const db = openDb(path);
  const row = (iso: string, input: number) => ({
    ts: Date.parse(iso),
    model: 'claude-sonnet-4-5-20250929',
    sessionId: 's1',
    project: '-p',
    cwd: '/p',
    input,
    output: 10,
  });
  insertUsageRows(db, [row('2026-12-03T10:05:00Z', 100), row('2026-12-03T10:35:00Z', 200)]);
  db.close();
  return path;
}

describe('openLightDb', () => {
  it('runs the shared queries with the same results as better-sqlite3', () => {
    const path = index();
    const light = openLightDb(path, { readonly: true, timeoutMs: 50 });
    const full = openDb(path, { readonly: true });
    const now = Date.parse('2026-12-03T11:00:00Z');
    expect(todayByModel(light, '2026-12-03', 'auto')).toEqual(todayByModel(full, '2026-12-03', 'auto'));
    expect(usageTimeline(light, { costMode: 'auto', fromTs: 0 })).toEqual(
      usageTimeline(full, { costMode: 'auto', fromTs: 0 }),
    );
    expect(findActiveBlock(light, 'auto', now)).toEqual(findActiveBlock(full, 'auto', now));
    expect(light.prepare('SELECT key FROM messages ORDER BY ts').pluck().all()).toEqual(
      full.prepare('SELECT key FROM messages ORDER BY ts').pluck().all(),
    );
    expect(light.pragma('user_version', { simple: true })).toBe(
      full.pragma('user_version', { simple: true }),
    );
    light.close();
    full.close();
  });

  it('transactions commit, roll back on a throw, and errors carry SQLite codes', () => {
    const dir = tempDir('ctm-light-');
    dirs.push(dir);
    const db = openLightDb(join(dir, 'x.db'), { readonly: false, timeoutMs: 50 });
    db.exec('CREATE TABLE t (v INTEGER UNIQUE)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    expect(db.transaction(() => insert.run(1).changes).immediate()).toBe(1);
    expect(() =>
      db.transaction(() => {
        insert.run(2);
        insert.run(1);
      })(),
    ).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT' }));
    expect(db.prepare('SELECT v FROM t').pluck().all()).toEqual([1]);
    db.close();
  });

  it('a locked database is SQLITE_BUSY after the timeout, not a wait', async () => {
    const dir = tempDir('ctm-light-');
    dirs.push(dir);
    const path = join(dir, 'x.db');
    openDb(path).exec('CREATE TABLE t (v)').close();
    const holder = await holdExclusiveLock(path);
    try {
      const started = Date.now();
      // A reader's open reads the schema (to know whether it must read the file as immutable): it is busy there.
      expect(() => openLightDb(path, { readonly: true, timeoutMs: 50 })).toThrow(
        expect.objectContaining({ code: 'SQLITE_BUSY' }),
      );
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await holder.release();
    }
  });
});
