// `ctm report` on an index an older ctm wrote (schema 4): a reader never migrates, so the report upgrades it
// once as the next ingest would and reports from it; on an index it cannot write it says so in one line.
import { afterAll, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadMigrations, migrate } from '../../db/migrate.ts';
import { tempDir } from '../../../test/fixtures/fixture-tree.ts';
import { runCtm } from '../../../test/fixtures/run-ctm.ts';
import { spawnSync } from 'node:child_process';
import { ctmBin, node24 } from '../../../test/fixtures/run-ctm.ts';

const root = tempDir();
afterAll(() => {
  chmodSync(join(root, 'ro'), 0o755);
  rmSync(root, { recursive: true, force: true });
});

function oldIndex(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const raw = new Database(join(dir, 'ctm.db'));
  migrate(
    raw,
    loadMigrations().filter((m) => m.version < 5),
  );
  raw
    .prepare(
      `INSERT INTO files (id, path, claude_dir, project, size, offset) VALUES (1, '/gone.jsonl', '/c', 'p', 1, 1)`,
    )
    .run();
  raw
    .prepare(
      `INSERT INTO messages (key, message_id, request_id, file_id, line_no, ts, day, hour, model, session_id, project,
         is_sidechain, input_tokens, output_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens,
         total_tokens, superseded)
       VALUES ('msg_1:r1', 'msg_1', 'r1', 1, 1, ?, '2026-03-01', 10, 'claude-opus-4-6', 's1', 'p', 0, 100, 20, 0, 0, 0, 120, 0)`,
    )
    .run(Date.parse('2026-03-01T10:00:00Z'));
  raw.exec(`INSERT INTO usage_daily SELECT day, model, project, count(*), sum(input_tokens), sum(output_tokens), 0, 0, 0,
              sum(total_tokens), 0, 0, 0, 0, 0 FROM messages GROUP BY day, model, project`);
  raw.close();
}

it('upgrades an older index once and reports from it', () => {
  const dir = join(root, 'rw');
  oldIndex(dir);
  const env = { CTM_DATA_DIR: dir, CTM_TZ: 'UTC', HOME: root, CTM_CLAUDE_DIR: join(root, 'none') };
  const r = runCtm(['report', 'daily', '--json'], env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).totals).toMatchObject({ inputTokens: 100, outputTokens: 20, totalTokens: 120 });
  const db = new Database(join(dir, 'ctm.db'), { readonly: true });
  expect(db.pragma('user_version', { simple: true })).toBe(
    Math.max(...loadMigrations().map((m) => m.version)),
  );
  db.close();
});

it('an older index it cannot write is one line naming CTM_DATA_DIR, exit 2', () => {
  const dir = join(root, 'ro');
  oldIndex(dir);
  chmodSync(join(dir, 'ctm.db'), 0o444);
  chmodSync(root, 0o755);
  chmodSync(dir, 0o555);
  const asRoot = process.getuid?.() === 0;
  const r = spawnSync(node24, [ctmBin, 'report', 'daily', '--json'], {
    env: { PATH: process.env.PATH, CTM_DATA_DIR: dir, CTM_TZ: 'UTC', HOME: root, CTM_LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/^ctm: CTM_DATA_DIR: the index at .* is from an older ctm \(schema 4\)/);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
});
