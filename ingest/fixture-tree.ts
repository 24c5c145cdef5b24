// Temp Claude config dirs and index databases for tests: a tree under a fresh temp dir, helpers to write and
// append transcript files, and a real SQLite index opened with the real migrations. Nothing here is mocked.
import { mkdtempSync, mkdirSync, writeFileSync, appendFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openDb, type Db } from '../src/db/open.ts';
import { silentLogger } from '../src/log.ts';
import { rollupDrift } from '../src/db/queries/rollup-drift.ts';
import { createIngester, type Ingester } from './ingester.ts';

export function tempDir(prefix = 'ctm-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface FixtureTree {
  root: string;
  /** A Claude config dir (has projects/). */
  claudeDir: string;
  /** Absolute path of a file under projects/. */
  path(rel: string): string;
  /** Writes lines (each followed by '\n') or raw content to projects/<rel>. */
  write(rel: string, content: readonly string[] | string | Buffer): string;
  append(rel: string, content: readonly string[] | string | Buffer): string;
  remove(): void;
}

function toData(content: readonly string[] | string | Buffer): string | Buffer {
  if (typeof content === 'string' || Buffer.isBuffer(content)) return content;
  return (content as readonly string[]).map((l) => l + '\n').join('');
}

export function fixtureTree(root = tempDir(), name = 'claude'): FixtureTree {
  const claudeDir = join(root, name);
  mkdirSync(join(claudeDir, 'projects'), { recursive: true });
  const path = (rel: string): string => join(claudeDir, 'projects', rel);
  return {
    root,
    claudeDir,
    path,
    write(rel, content) {
      const p = path(rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, toData(content));
      return p;
    },
    append(rel, content) {
      const p = path(rel);
      mkdirSync(dirname(p), { recursive: true });
      appendFileSync(p, toData(content));
      return p;
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface TestIndex {
  db: Db;
  ingester: Ingester;
  close(): void;
}

/** A real index at <dataDir>/ctm.db with an ingester over the given Claude dirs. */
export function testIndex(
  claudeDirs: readonly string[],
  dataDir: string,
  options: { timezone?: string; pricingFile?: string } = {},
): TestIndex {
  const db = openDb(join(dataDir, 'ctm.db'));
  const ingester = createIngester(
    db,
    {
      claudeDirs: [...claudeDirs],
      claudeDirsSource: 'CTM_CLAUDE_DIR',
      timezone: options.timezone ?? 'UTC',
      pricingFile: options.pricingFile,
      rescanSeconds: 3600,
    },
    silentLogger,
  );
  return {
    db,
    ingester,
    close: () => {
      // Every test that ingests also proves the commits kept the usage_daily rollup in step.
      if (!db.open) return;
      const drift = rollupDrift(db);
      db.close();
      if (drift.length) throw new Error(`usage_daily out of step: ${JSON.stringify(drift.slice(0, 3))}`);
    },
  };
}

/** The (day, model, project) groups where usage_daily differs from summing the counted messages afresh. */
export { rollupDrift };

export interface UsageRow {
  key: string;
  messageId: string;
  requestId: string | null;
  sessionId: string;
  project: string;
  cwd: string | null;
  model: string;
  day: string;
  hour: number;
  isSidechain: number;
  agentId: string | null;
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  total: number;
  webSearch: number;
  serviceTier: string | null;
  speed: string | null;
  costLogged: number | null;
  costCalc: number | null;
}

/** The counted messages (the `usage` view), ordered by key. */
export function usageRows(db: Db): UsageRow[] {
  return db
    .prepare(
      `SELECT key, message_id AS messageId, request_id AS requestId, session_id AS sessionId, project, cwd, model,
              day, hour, is_sidechain AS isSidechain, agent_id AS agentId, input_tokens AS input,
              output_tokens AS output, cache_write_5m_tokens AS cacheWrite5m, cache_write_1h_tokens AS cacheWrite1h,
              cache_read_tokens AS cacheRead, total_tokens AS total, web_search_requests AS webSearch,
              service_tier AS serviceTier, speed, cost_logged_usd AS costLogged, cost_calc_usd AS costCalc
       FROM usage ORDER BY key`,
    )
    .all() as UsageRow[];
}

export function totals(db: Db): { messages: number; tokens: number; output: number } {
  return db
    .prepare(
      'SELECT count(*) AS messages, coalesce(sum(total_tokens), 0) AS tokens, coalesce(sum(output_tokens), 0) AS output FROM usage',
    )
    .get() as { messages: number; tokens: number; output: number };
}

/** ISO timestamp `minutes` after 2026-03-01T10:00:00Z. */
export function at(minutes: number, base = '2026-03-01T10:00:00Z'): string {
  return new Date(Date.parse(base) + minutes * 60_000).toISOString();
}
