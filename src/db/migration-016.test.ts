// Migration 016 sends the files that may hold a response whose cache writes Claude Code logged only in the
// `cache_creation` split (versions before 2.1.152, or none) back to be read from their start, and only those.
import { rmSync } from 'node:fs';
import { expect, it, onTestFinished } from 'vitest';
import { openDb } from './open.ts';
import { rebuildDailyRollup } from '../../ingest/daily-rollup.ts';
import { assistantLine } from '../../test/fixtures/fixture-lines.ts';
import { at, fixtureTree, tempDir, testIndex, totals } from '../../test/fixtures/fixture-tree.ts';
import { indexBefore } from '../../test/fixtures/old-index.ts';

it('reads again the files with write-less responses from before 2.1.152, and no others', () => {
  const { path, raw } = indexBefore(16);
  const file = raw.prepare(
    `INSERT INTO files (path, claude_dir, project, size, offset, head_hash, line_count, seam)
     VALUES (?, '/c', 'p', 900, 900, 'h', 3, 'ab')`,
  );
  const message = raw.prepare(
    `INSERT INTO messages (key, message_id, file_id, line_no, ts, day, hour, model, session_id, project, version,
       input_tokens, output_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, total_tokens)
     VALUES (?, ?, ?, 1, 1, '2026-05-01', 0, 'claude-opus-4-7', 's', 'p', ?, 1, 1, ?, 0, 0, ?)`,
  );
  const cases: [name: string, version: string | null, writes: number, reread: boolean][] = [
    ['old-no-writes', '2.1.150', 0, true],
    ['old-writes', '2.1.150', 40, false],
    ['no-version', null, 0, true],
    ['1.0.x', '1.0.128', 0, true],
    ['2.0.x', '2.0.76', 0, true],
    ['fixed', '2.1.152', 0, false],
    ['later', '2.1.240', 0, false],
    ['3.x', '3.0.1', 0, false],
    ['odd', 'dev', 0, true],
  ];
  for (const [name, version, writes] of cases) {
    const id = Number(file.run(`/c/projects/p/${name}.jsonl`).lastInsertRowid);
    message.run(name, name, id, version, writes, 2 + writes);
  }
  raw.close();

  const db = openDb(path);
  const state = db.prepare('SELECT offset, size, head_hash AS headHash, seam FROM files WHERE path = ?');
  for (const [name, , , reread] of cases) {
    expect(state.get(`/c/projects/p/${name}.jsonl`), name).toEqual(
      reread
        ? { offset: 0, size: -1, headHash: null, seam: null }
        : { offset: 900, size: 900, headHash: 'h', seam: 'ab' },
    );
  }
  db.close();
});

it('an index an older ctm left with such a response counts its writes after the upgrade, once', () => {
  const root = tempDir();
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  const tree = fixtureTree(root);
  const split = JSON.parse(
    assistantLine({
      id: 'm-split',
      timestamp: at(0),
      version: '2.1.150',
      cacheWrite: 50_300,
      cacheWrite1h: 50_000,
    }),
  );
  split.message.usage.cache_creation_input_tokens = 0; // as Claude Code before 2.1.152 wrote it
  tree.write('-home-me-repo/s1.jsonl', [
    JSON.stringify(split),
    assistantLine({ id: 'm-plain', timestamp: at(1), version: '2.1.150', cacheWrite: 10 }),
  ]);
  tree.write('-home-me-repo/s2.jsonl', [
    assistantLine({ id: 'm-new', timestamp: at(2), version: '2.1.160' }),
  ]);
  const first = testIndex([tree.claudeDir], root);
  first.ingester.pass();
  // What an older ctm stored for the line (no writes), with its rollup summed to match, at schema 015.
  first.db
    .exec(`UPDATE messages SET total_tokens = total_tokens - cache_write_5m_tokens - cache_write_1h_tokens,
    cache_write_5m_tokens = 0, cache_write_1h_tokens = 0, cost_calc_usd = 0 WHERE key = 'm-split'`);
  rebuildDailyRollup(first.db);
  first.db.pragma('user_version = 15');
  const stamps = (db: typeof first.db) =>
    (db.prepare(`SELECT updated_at AS at FROM files ORDER BY path`).all() as { at: number }[]).map(
      (f) => f.at,
    );
  const before = stamps(first.db);
  first.close();

  const index = testIndex([tree.claudeDir], root);
  onTestFinished(() => index.close());
  const summary = index.ingester.pass();
  const row = (key: string) =>
    index.db
      .prepare(
        `SELECT cache_write_5m_tokens AS w5, cache_write_1h_tokens AS w1h, cost_calc_usd AS cost FROM usage
                WHERE key = ?`,
      )
      .get(key) as { w5: number; w1h: number; cost: number };
  expect(row('m-split')).toMatchObject({ w5: 300, w1h: 50_000 });
  // Sonnet 4.5: 50,000 one-hour writes at $6 and 300 five-minute writes at $3.75 a million, beside its tokens.
  expect(row('m-split').cost).toBeGreaterThan(0.3 + 300 * 3.75e-6);
  expect(row('m-plain')).toMatchObject({ w5: 10, w1h: 0 });
  expect(totals(index.db).messages).toBe(3);
  // s1 (old, a write-less row) was read again; s2 (2.1.160) was not.
  expect(stamps(index.db).map((stamp, i) => stamp !== before[i])).toEqual([true, false]);
  expect(summary.filesRead).toBe(1);
});
