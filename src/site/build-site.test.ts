// How many build processes an index gets, and merging a secondary build shard's output into the primary's: its
// dynamic-route pages move over, its singleton pages replace the primary's empty placeholders, and nothing the
// primary rendered is overwritten.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { mergeShard, SHARD_THRESHOLD, shardCount } from './build-site.ts';
import { singletonFiles, SINGLETON_FILES } from './build-shard.ts';

let dir: string;
const write = (root: string, file: string, text: string) => {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
};

/** A shard's output: every singleton page (rendered or an empty placeholder) and the given dynamic pages. */
function shardOutput(name: string, index: number, pages: string[]): string {
  const root = join(dir, name);
  write(root, '_astro/site.css', 'css');
  const own = new Set(singletonFiles({ index, count: 2 }));
  for (const file of Object.values(SINGLETON_FILES))
    write(root, file, own.has(file) ? `${name} ${file}` : '');
  for (const page of pages) write(root, `${page}/index.html`, `${name} ${page}`);
  return root;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctm-merge-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('mergeShard', () => {
  it('moves dynamic pages and the secondary’s singleton pages into the primary output', () => {
    const primary = shardOutput('a', 0, ['days/2026-03-01', 'sessions/s1', 'sessions/months/2026-03']);
    const secondary = shardOutput('b', 1, ['days/2026-03-02', 'sessions/s2', 'sessions/months/2026-02']);
    mergeShard(primary, secondary, { index: 1, count: 2 });
    const read = (file: string) => readFileSync(join(primary, file), 'utf8');
    expect(read('days/2026-03-01/index.html')).toBe('a days/2026-03-01');
    expect(read('days/2026-03-02/index.html')).toBe('b days/2026-03-02');
    expect(read('sessions/s2/index.html')).toBe('b sessions/s2');
    expect(read('sessions/months/2026-02/index.html')).toBe('b sessions/months/2026-02');
    for (const file of Object.values(SINGLETON_FILES)) {
      const owner = singletonFiles({ index: 0, count: 2 }).includes(file) ? 'a' : 'b';
      expect(read(file)).toBe(`${owner} ${file}`);
    }
  });

  it('refuses a secondary output without one of its singleton pages', () => {
    const primary = shardOutput('a', 0, []);
    const secondary = shardOutput('b', 1, []);
    rmSync(join(secondary, singletonFiles({ index: 1, count: 2 })[0]!));
    expect(() => mergeShard(primary, secondary, { index: 1, count: 2 })).toThrow(/produced no/);
  });
});

describe('shardCount', () => {
  it('splits the build across cores from SHARD_THRESHOLD sessions, and not below', async () => {
    const { openDb } = await import('../db/open.ts');
    const { insertUsageRows } = await import('../../bench/seed-usage-db.ts');
    const { availableParallelism } = await import('node:os');
    const dbPath = join(dir, 'ctm.db');
    const rows = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        ts: Date.parse('2026-03-02T09:00:00Z') + (from + i) * 1000,
        model: 'claude-sonnet-4-5-20250929',
        sessionId: `s${from + i}`,
        project: '-p',
        cwd: '/p',
        input: 1,
        output: 1,
      }));
    const db = openDb(dbPath);
    insertUsageRows(db, rows(0, SHARD_THRESHOLD - 1));
    db.close();
    expect(shardCount(dbPath)).toBe(1);
    const again = openDb(dbPath);
    insertUsageRows(again, rows(SHARD_THRESHOLD - 1, 1));
    again.close();
    const cores = Math.min(4, availableParallelism());
    expect(shardCount(dbPath)).toBe(cores < 2 ? 1 : cores);
    expect(shardCount(join(dir, 'missing.db'))).toBe(1);
  });
});
