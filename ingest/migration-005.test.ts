// Migration 005 on an index written by the previous release: rows keyed `<message id>:<request id>` fold to
// one per message id (largest total, then the main-thread copy), the history of vanished transcripts stays,
// and present files are read again so the new columns fill in without counting anything twice.
import { afterEach, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { loadMigrations, migrate } from '../src/db/migrate.ts';
import { openDb } from '../src/db/open.ts';
import { assistantLine } from '../test/fixtures/fixture-lines.ts';
import { at, fixtureTree, tempDir, usageRows } from '../test/fixtures/fixture-tree.ts';
import { createMessageStore } from './message-store.ts';
import { runPass } from './ingest-pass.ts';
import { loadPricing } from '../src/pricing/load-pricing.ts';
import { rollupDrift } from '../test/fixtures/fixture-tree.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

it('re-keys by message id, keeps the history of vanished files and re-reads present ones', () => {
  const root = tempDir();
  const tree = fixtureTree(root);
  cleanups.push(() => tree.remove());
  const present = tree.write('p/s1.jsonl', [
    assistantLine({ id: 'msg_1', timestamp: at(0), output: 50, geo: 'us', webFetch: 2 }),
  ]);
  const path = join(root, 'ctm.db');
  const raw = new Database(path);
  migrate(
    raw,
    loadMigrations().filter((m) => m.version < 5),
  );
  raw
    .prepare(`INSERT INTO files (id, path, claude_dir, project, size, offset) VALUES (1, ?, ?, 'p', 1, 1)`)
    .run(present, tree.claudeDir);
  raw
    .prepare(
      `INSERT INTO files (id, path, claude_dir, project, size, offset) VALUES (2, '/gone.jsonl', ?, 'p', 1, 1)`,
    )
    .run(tree.claudeDir);
  const insert = raw.prepare(
    `INSERT INTO messages (key, message_id, request_id, file_id, line_no, ts, day, hour, model, session_id, project,
       is_sidechain, input_tokens, output_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens,
       total_tokens, superseded)
     VALUES (?, ?, ?, ?, 1, 0, '2026-03-01', 10, 'claude-opus-4-6', 's1', 'p', ?, 10, ?, 0, 0, 0, 10 + ?, ?)`,
  );
  // msg_1: the present file's response, stored twice (with and without its requestId).
  insert.run('msg_1:req_msg_1', 'msg_1', 'req_msg_1', 1, 0, 50, 50, 0);
  insert.run('msg_1', 'msg_1', null, 1, 0, 50, 50, 0);
  // msg_2: only in a vanished file: a parent, its superseded sidechain replay, and a bigger copy without id.
  insert.run('msg_2:r1', 'msg_2', 'r1', 2, 0, 30, 30, 0);
  insert.run('msg_2:r2', 'msg_2', 'r2', 2, 1, 30, 30, 1);
  insert.run('msg_2', 'msg_2', null, 2, 0, 31, 31, 0);
  raw.exec(`INSERT INTO usage_daily SELECT day, model, project, count(*), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
            FROM messages GROUP BY day, model, project`);
  raw.close();

  const db = openDb(path);
  cleanups.push(() => db.close());
  expect(usageRows(db).map((r) => [r.key, r.requestId, r.output])).toEqual([
    ['msg_1', 'req_msg_1', 50],
    ['msg_2', null, 31],
  ]);
  expect(rollupDrift(db)).toEqual([]);
  const store = createMessageStore(db, { timezone: 'UTC', pricing: loadPricing() });
  const s = runPass({ claudeDirs: [tree.claudeDir], store, parallelBytes: Infinity });
  expect(s.filesRead).toBe(1);
  const rows = db
    .prepare('SELECT key, inference_geo AS geo, web_fetch_requests AS fetches FROM usage ORDER BY key')
    .all();
  expect(rows).toEqual([
    { key: 'msg_1', geo: 'us', fetches: 2 },
    { key: 'msg_2', geo: null, fetches: 0 },
  ]);
  expect(rollupDrift(db)).toEqual([]);
});
