// The runtime's read-only index: a file that exists but is not migrated yet (a first run's writer made it and
// has not committed the schema) counts as no index, and the index is opened once the schema is in.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { openDb } from '../db/open.ts';
import { silentLogger } from '../log.ts';
import { createRuntime } from './runtime.ts';

const root = mkdtempSync(join(tmpdir(), 'ctm-runtime-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('runtime reader', () => {
  it('treats a file without the schema as no index, then opens it once migrated', () => {
    const config = loadConfig({ CTM_CLAUDE_DIR: join(root, 'claude'), CTM_DATA_DIR: join(root, 'data') });
    mkdirSync(config.dataDir, { recursive: true });
    const rt = createRuntime(config, silentLogger);
    try {
      expect(rt.reader()).toBeNull();
      // What a first run's writer leaves between making the file and committing its migrations.
      const bare = new Database(config.dbPath);
      bare.pragma('journal_mode = WAL');
      expect(rt.reader()).toBeNull();
      bare.close();
      openDb(config.dbPath).close();
      const db = rt.reader();
      expect(db).not.toBeNull();
      expect(db!.prepare('SELECT count(*) AS n FROM usage').get()).toEqual({ n: 0 });
      expect(rt.reader()).toBe(db);
    } finally {
      rt.close();
    }
  });
});
