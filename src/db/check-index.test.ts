// checkIndex and checkAtStart against real ctm.db files whose bytes are changed on disk: a bit flipped in a
// sum of a rollup page (found with dbstat) is found and repaired, its sign flipped too; a broken page header
// is damage, reported with nothing written. Values rewritten with SQL stand for the drift a bug would leave.
import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from './open.ts';
import { checkAtStart, checkIndex } from './check-index.ts';
import { rollupDrift } from './queries/rollup-drift.ts';
import { insertUsageRows } from '../../test/fixtures/seed-usage-db.ts';
import { FIXTURE } from '../../test/fixtures/site-fixture.ts';
import { silentLogger, type Logger } from '../log.ts';
import { ConfigError } from '../config.ts';

const dir = mkdtempSync(join(tmpdir(), 'ctm-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real index: the site fixture plus one group with a sum found nowhere else in its page. */
const MARK = 7_654_321; // a 3-byte integer in a record: 0x74cbb1
function makeIndex(name: string): string {
  const path = join(dir, name, 'ctm.db');
  const db = openDb(path);
  // Enough messages for a b-tree of several pages: a leaf's damage is then told by page.
  const more = Array.from({ length: 400 }, (_, i) => ({ ...FIXTURE[4]!, ts: FIXTURE[4]!.ts + i * 1000 }));
  insertUsageRows(db, [
    ...FIXTURE,
    ...more,
    {
      ...FIXTURE[0]!,
      ts: Date.parse('2026-03-05T10:00:00Z'),
      project: '-home-me-marked',
      input: MARK,
      output: 0,
    },
  ]);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  expect(existsSync(`${path}-wal`)).toBe(false);
  return path;
}

/** The byte offsets of a b-tree's pages in the file, by dbstat. */
function pagesOf(path: string, tree: string): { offsets: number[]; pageSize: number } {
  const db = openDb(path, { readonly: true });
  try {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pages = db.prepare('SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno').pluck().all(tree);
    return { offsets: (pages as number[]).map((p) => (p - 1) * pageSize), pageSize };
  } finally {
    db.close();
  }
}

/** Flips bits of one byte of the file in place: xor with mask at the first place `find` occurs in the tree. */
function flip(path: string, tree: string, find: Buffer, at: number, mask: number): void {
  const bytes = readFileSync(path);
  const { offsets, pageSize } = pagesOf(path, tree);
  for (const offset of offsets) {
    const i = bytes.subarray(offset, offset + pageSize).indexOf(find);
    if (i === -1) continue;
    bytes[offset + i + at]! ^= mask;
    writeFileSync(path, bytes);
    return;
  }
  throw new Error(`${find.toString('hex')} not found in ${tree}`);
}

const be24 = (n: number) => Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function marked(path: string): number {
  const db = openDb(path, { readonly: true });
  try {
    return db
      .prepare("SELECT sum(input_tokens) FROM usage_daily WHERE project = '-home-me-marked'")
      .pluck()
      .get() as number;
  } finally {
    db.close();
  }
}

describe('checkIndex', () => {
  it('a sound index: no problems, nothing repaired', () => {
    const db = openDb(makeIndex('sound'));
    expect(checkIndex(db)).toEqual({ problems: [], damaged: false, drift: [], repaired: false });
    db.close();
  });

  it('a bit flipped on disk in a sum of the rollup is found, named and repaired from the messages', () => {
    const path = makeIndex('flipped');
    flip(path, 'usage_daily', be24(MARK), 2, 0x04);
    expect(marked(path)).toBe(MARK ^ 0x04);
    const db = openDb(path);
    const result = checkIndex(db);
    expect(result).toMatchObject({ problems: [], damaged: false, repaired: true });
    expect(result.drift).toHaveLength(1);
    expect(result.drift[0]).toMatchObject({
      group: { project: '-home-me-marked' },
      stored: { input_tokens: MARK ^ 0x04 },
      fresh: { input_tokens: MARK },
    });
    expect(rollupDrift(db)).toEqual([]);
    db.close();
    expect(marked(path)).toBe(MARK);
  });

  it("a sign flipped on disk fails the rollup's CHECK: told by integrity_check, repaired all the same", () => {
    const path = makeIndex('negative');
    flip(path, 'usage_daily', be24(MARK), 0, 0x80);
    expect(marked(path)).toBeLessThan(0);
    const db = openDb(path);
    const result = checkIndex(db);
    expect(result.problems).toEqual(['CHECK constraint failed in usage_daily']);
    expect(result).toMatchObject({ damaged: false, repaired: true });
    expect(checkIndex(db)).toEqual({ problems: [], damaged: false, drift: [], repaired: false });
    db.close();
  });

  it('a group rewritten, added or dropped with SQL is each named, then rebuilt', () => {
    const path = makeIndex('rewritten');
    const db = openDb(path);
    db.exec(`UPDATE usage_daily SET cost_calc_usd = cost_calc_usd + 5 WHERE project = '-home-me-beta';
      DELETE FROM usage_daily WHERE project = '-home-me-marked';
      CREATE TEMP TABLE stray AS SELECT * FROM usage_daily WHERE project = '-home-me-alpha' LIMIT 1;
      UPDATE stray SET day = '2020-01-01';
      INSERT INTO usage_daily SELECT * FROM stray;`);
    const result = checkIndex(db);
    expect(result.repaired).toBe(true);
    expect(
      result.drift.map((d) => [d.group.day, d.group.project, d.stored === null, d.fresh === null]),
    ).toEqual([
      ['2020-01-01', '-home-me-alpha', false, true],
      ['2026-03-02', '-home-me-beta', false, false],
      ['2026-03-05', '-home-me-marked', true, false],
    ]);
    expect(rollupDrift(db)).toEqual([]);
    db.close();
  });

  it.each([
    ['a leaf of the messages', 'messages', -1, /^messages: database disk image is malformed$/],
    ["the rollup's root", 'usage_daily', 0, /^usage_daily: database disk image is malformed$/],
  ])('a broken page header (%s) is damage: reported, and the file left as it was', (_, tree, index, said) => {
    const path = makeIndex(`damaged-${tree}`);
    const { offsets } = pagesOf(path, tree);
    const bytes = readFileSync(path);
    bytes[offsets.at(index)!] = 0x00; // the b-tree page type: no valid page has 0
    writeFileSync(path, bytes);
    const before = sha(path);
    const db = openDb(path);
    const result = checkIndex(db);
    expect(result.damaged).toBe(true);
    expect(result.repaired).toBe(false);
    expect(result.problems.join('\n')).toMatch(said);
    db.close();
    expect(sha(path)).toBe(before);
  });
});

describe('checkAtStart', () => {
  it('rebuilds a rollup whose totals differ from the messages, with a warning saying what differed', () => {
    const path = makeIndex('start-drift');
    flip(path, 'usage_daily', be24(MARK), 2, 0x01);
    const warnings: unknown[] = [];
    const log: Logger = { ...silentLogger, warn: (msg, fields) => warnings.push({ msg, ...fields }) };
    const db = openDb(path);
    expect(checkAtStart(db, path, log)).toMatchObject({ repaired: true });
    expect(warnings).toEqual([
      {
        msg: 'usage_daily differed from the messages; rebuilt from them',
        groups: 1,
        first: ['2026-03-05 claude-sonnet-4-5-20250929 -home-me-marked s1'],
      },
    ]);
    expect(checkAtStart(db, path, log)).toMatchObject({ repaired: false, problems: [] });
    expect(warnings).toHaveLength(1);
    db.close();
  });

  it('stops on a damaged index with one line naming the data dir and ctm check', () => {
    const path = makeIndex('start-damaged');
    const { offsets } = pagesOf(path, 'messages');
    const bytes = readFileSync(path);
    bytes[offsets.at(-1)!] = 0x00;
    writeFileSync(path, bytes);
    const db = openDb(path);
    expect(() => checkAtStart(db, path, silentLogger)).toThrow(ConfigError);
    expect(() => checkAtStart(db, path, silentLogger)).toThrow(
      /^CTM_DATA_DIR: the index .*ctm\.db is damaged \(.+\); run `ctm check`/,
    );
    db.close();
  });
});
