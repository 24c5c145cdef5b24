// `ctm check` and the check at the start of `ctm ingest`, as a user runs them: the real CLI on a real index,
// its bytes changed on disk. A rollup sum flipped is named and repaired (exit 0); a broken page is damage
// (exit 1, nothing written); no index is a setting's problem (exit 2).
import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { assistantLine } from '../../../test/fixtures/fixture-lines.ts';
import { fixtureTree, type FixtureTree } from '../../../test/fixtures/fixture-tree.ts';
import { runCtm } from '../../../test/fixtures/run-ctm.ts';

const trees: FixtureTree[] = [];
afterAll(() => trees.forEach((t) => t.remove()));

const MARK = 7_654_321;

function indexed(): { t: FixtureTree; env: Record<string, string>; db: string } {
  const t = fixtureTree();
  trees.push(t);
  t.write('-home-me-app/s1.jsonl', [
    assistantLine({ id: 'a', timestamp: '2026-03-02T10:00:00Z', model: 'claude-sonnet-4-5', input: MARK }),
    assistantLine({ id: 'b', timestamp: '2026-03-03T10:00:00Z', model: 'claude-sonnet-4-5', input: 100 }),
  ]);
  const env = {
    HOME: t.root,
    CTM_CLAUDE_DIR: t.claudeDir,
    CTM_DATA_DIR: join(t.root, 'data'),
    CTM_TZ: 'UTC',
  };
  expect(runCtm(['ingest', '--once'], env).code).toBe(0);
  return { t, env, db: join(t.root, 'data', 'ctm.db') };
}

/** The file offsets of a b-tree's pages (dbstat). */
function pages(path: string, tree: string): number[] {
  const db = new Database(path, { readonly: true });
  try {
    const size = db.pragma('page_size', { simple: true }) as number;
    return (db.prepare('SELECT pageno FROM dbstat WHERE name = ?').pluck().all(tree) as number[]).map(
      (p) => (p - 1) * size,
    );
  } finally {
    db.close();
  }
}

/** Flips the lowest bit of the rollup's 3-byte integer MARK, on disk. */
function flipMark(path: string): void {
  const bytes = readFileSync(path);
  const mark = Buffer.from([MARK >> 16, (MARK >> 8) & 0xff, MARK & 0xff]);
  const page = pages(path, 'usage_daily')[0]!;
  const i = bytes.subarray(page, page + 4096).indexOf(mark);
  expect(i).toBeGreaterThan(0);
  bytes[page + i + 2]! ^= 0x01;
  writeFileSync(path, bytes);
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('ctm check', () => {
  it('a sound index: exit 0, says so', () => {
    const { env } = indexed();
    const r = runCtm(['check'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^integrity: ok \(PRAGMA integrity_check over [\d.]+ KB\)\nusage_daily: matches the messages \(2 groups\)\nchecked in [\d.]+ s\n$/,
    );
  });

  it('a bit flipped in a rollup sum: names the group and the figures, repairs it, exit 0; then all is well', () => {
    const { env, db } = indexed();
    flipMark(db);
    const r = runCtm(['check'], env);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(1, 3)).toEqual([
      'usage_daily: 1 group differed from the messages; rebuilt from 2 messages (2 groups)',
      '  2026-03-02 claude-sonnet-4-5 -home-me-app session-1: input_tokens 7,654,320 (messages: 7,654,321)',
    ]);
    expect(runCtm(['check'], env).stdout).toContain('usage_daily: matches the messages (2 groups)');
  });

  it('a project directory pair lost or left behind: names both, rebuilds the pairs, exit 0', () => {
    const { env, db: path } = indexed();
    const db = new Database(path);
    const pairs = () => db.prepare('SELECT project, cwd FROM project_cwds').all() as { cwd: string }[];
    const kept = pairs();
    expect(kept).toHaveLength(1);
    db.prepare(`UPDATE project_cwds SET cwd = '/somewhere/else'`).run();
    const r = runCtm(['check'], env);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(2, 4).sort()).toEqual([
      `  project_cwds: -home-me-app ${kept[0]!.cwd || '(no working directory)'}: named, but not kept`,
      '  project_cwds: -home-me-app /somewhere/else: kept, but no counted message names it',
    ]);
    expect(pairs()).toEqual(kept);
    db.close();
  });

  it('a broken page: exit 1, the problems and what to do, the file untouched', () => {
    const { env, db } = indexed();
    const bytes = readFileSync(db);
    bytes[pages(db, 'messages')[0]!] = 0x00;
    writeFileSync(db, bytes);
    const before = sha(db);
    const r = runCtm(['check'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^integrity: damaged, 1 problem:\n {2}messages: database disk image is malformed\n/,
    );
    expect(r.stdout).toContain('nothing was repaired');
    expect(sha(db)).toBe(before);
  });

  it('a file that is no database at all: exit 1; no index: exit 2', () => {
    const { env, db } = indexed();
    writeFileSync(db, Buffer.alloc(20_000, 'garbage '));
    const r = runCtm(['check'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^integrity: damaged, 1 problem:\n {2}file is not a database\n/);
    const none = runCtm(['check'], { ...env, CTM_DATA_DIR: join(env.HOME!, 'nowhere') });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^ctm: CTM_DATA_DIR: no index at .*; run `ctm ingest --once` first\n$/);
  });
});

describe('the check at the start of ctm ingest', () => {
  it('rebuilds a rollup that no longer adds up, with a warning; stops on a damaged index in one line', () => {
    const { env, db } = indexed();
    flipMark(db);
    const repaired = runCtm(['ingest', '--once'], env);
    expect(repaired.code).toBe(0);
    expect(repaired.stderr).toContain('usage_daily differed from the messages; rebuilt from them');
    expect(runCtm(['check'], env).stdout).toContain('usage_daily: matches the messages');
    const bytes = readFileSync(db);
    bytes[pages(db, 'messages')[0]!] = 0x00;
    writeFileSync(db, bytes);
    const stopped = runCtm(['ingest', '--once'], env);
    expect(stopped.code).toBe(2);
    expect(stopped.stderr).toMatch(
      /^ctm: CTM_DATA_DIR: the index .*ctm\.db is damaged \(messages: database disk image is malformed\); run `ctm check` for the details\n$/,
    );
  });
});
