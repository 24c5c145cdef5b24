// Temp Claude config dirs and index databases for tests: a tree under a fresh temp dir, helpers to write and
// append transcript files, and a real SQLite index opened with the real migrations. Nothing here is mocked.
import { mkdtempSync, mkdirSync, writeFileSync, appendFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openDb, type Db } from '../src/db/open.ts';
import { silentLogger } from '../src/log.ts';
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
      // Every test that ingests also proves the usage_daily triggers kept the rollup in step.
      if (!db.open) return;
      const drift = rollupDrift(db);
      db.close();
      if (drift.length) throw new Error(`usage_daily out of step: ${JSON.stringify(drift.slice(0, 3))}`);
    },
  };
}

/** The (day, model, project) groups where usage_daily differs from summing the counted messages afresh. */
export function rollupDrift(db: Db): unknown[] {
  return db
    .prepare(
      `WITH fresh AS (
         SELECT day, model, project, count(*) AS messages, sum(input_tokens) AS input, sum(output_tokens) AS output,
           sum(cache_write_5m_tokens) AS w5, sum(cache_write_1h_tokens) AS w1, sum(cache_read_tokens) AS r,
           sum(total_tokens) AS total, total(coalesce(cost_logged_usd, cost_calc_usd)) AS auto,
           total(cost_calc_usd) AS calc, total(cost_logged_usd) AS display,
           sum(coalesce(cost_logged_usd, cost_calc_usd) IS NULL) AS unpricedAuto, sum(cost_calc_usd IS NULL) AS unpricedCalc
         FROM usage GROUP BY day, model, project),
       stored AS (
         SELECT day, model, project, messages, input_tokens AS input, output_tokens AS output,
           cache_write_5m_tokens AS w5, cache_write_1h_tokens AS w1, cache_read_tokens AS r, total_tokens AS total,
           cost_auto_usd AS auto, cost_calc_usd AS calc, cost_display_usd AS display,
           unpriced_auto AS unpricedAuto, unpriced_calc AS unpricedCalc
         FROM usage_daily)
       SELECT 'fresh' AS side, f.* FROM fresh f LEFT JOIN stored s USING (day, model, project)
       WHERE s.messages IS NOT f.messages OR s.input IS NOT f.input OR s.output IS NOT f.output OR s.w5 IS NOT f.w5
         OR s.w1 IS NOT f.w1 OR s.r IS NOT f.r OR s.total IS NOT f.total OR s.unpricedAuto IS NOT f.unpricedAuto
         OR s.unpricedCalc IS NOT f.unpricedCalc OR abs(s.auto - f.auto) > 1e-9 OR abs(s.calc - f.calc) > 1e-9
         OR abs(s.display - f.display) > 1e-9 OR s.auto IS NULL
       UNION ALL
       SELECT 'stored', s.* FROM stored s LEFT JOIN fresh f USING (day, model, project) WHERE f.day IS NULL`,
    )
    .all();
}

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
