// Merging a secondary build shard's output into the primary's: its dynamic-route pages move over, its singleton
// pages replace the primary's empty placeholders, and nothing the primary rendered is overwritten.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { mergeShard } from './build-site.ts';
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
