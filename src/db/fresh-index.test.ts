import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { buildFreshIndex, partialPath, removeStalePartials } from './fresh-index.ts';
import { openDb } from './open.ts';

const root = mkdtempSync(join(tmpdir(), 'ctm-fresh-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const newDir = (): string => {
  const dir = join(root, `d${n++}`);
  mkdirSync(dir);
  return dir;
};
const meta = (db: Database.Database, key: string): unknown =>
  db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key);

describe('buildFreshIndex', () => {
  it('builds without a journal where nothing else looks, then puts a WAL index in place', () => {
    const dir = newDir();
    const path = join(dir, 'ctm.db');
    const { result, placed } = buildFreshIndex(path, (db) => {
      expect(db.pragma('journal_mode', { simple: true })).toBe('off');
      expect(db.pragma('synchronous', { simple: true })).toBe(0);
      expect(existsSync(path)).toBe(false); // nobody sees the index while it is built
      db.prepare("INSERT INTO meta (key, value) VALUES ('built', 'yes')").run();
      return 42;
    });
    expect({ result, placed }).toEqual({ result: 42, placed: true });
    expect(readdirSync(dir)).toEqual(['ctm.db']);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(meta(db, 'built')).toBe('yes');
    db.close();
    const writer = openDb(path); // a writer's open afterwards: migrated already, WAL
    expect(writer.pragma('journal_mode', { simple: true })).toBe('wal');
    writer.close();
  });

  it('leaves no index and no partial file when the build fails', () => {
    const dir = newDir();
    const path = join(dir, 'ctm.db');
    expect(() =>
      buildFreshIndex(path, (db) => {
        db.prepare("INSERT INTO meta (key, value) VALUES ('half', 'way')").run();
        throw new Error('the pass failed');
      }),
    ).toThrow('the pass failed');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps the index another first run put in place meanwhile, and drops its own file', () => {
    const dir = newDir();
    const path = join(dir, 'ctm.db');
    const { placed } = buildFreshIndex(path, (db) => {
      db.prepare("INSERT INTO meta (key, value) VALUES ('mine', '1')").run();
      const other = openDb(path); // the other run's index appears while this one builds
      other.prepare("INSERT INTO meta (key, value) VALUES ('theirs', '1')").run();
      other.close();
    });
    expect(placed).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
    const db = new Database(path, { readonly: true });
    expect([meta(db, 'theirs'), meta(db, 'mine')]).toEqual(['1', undefined]);
    db.close();
  });

  it("deletes the partial files of runs that are gone (a kill -9), not a running one's", () => {
    const dir = newDir();
    const path = join(dir, 'ctm.db');
    // A pid that is certainly not running: a child that has exited.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    }).stdout;
    const dead = partialPath(path, Number(gone));
    const running = partialPath(path, process.ppid);
    for (const f of [dead, `${dead}-wal`, running, join(dir, 'other.db')]) writeFileSync(f, 'x');
    expect(removeStalePartials(path).sort()).toEqual([
      `ctm.db.partial-${gone}`,
      `ctm.db.partial-${gone}-wal`,
    ]);
    expect(readdirSync(dir).sort()).toEqual([`ctm.db.partial-${process.ppid}`, 'other.db']);
  });
});
