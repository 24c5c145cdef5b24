// Writes synthetic usage rows straight into a SQLite index (real migrations, no transcripts): a year of heavy
// use for the site benchmark, or a few deterministic days for tests. Seeded PRNG, so runs are reproducible.
import { openDb, type Db } from '../src/db/open.ts';
import { loadPricing } from '../src/pricing/load-pricing.ts';
import { requestCost } from '../src/pricing/request-cost.ts';
import { makeLocalTime } from '../src/time/local-time.ts';
import { createDailyRollup } from '../ingest/daily-rollup.ts';

export interface SeedRow {
  ts: number;
  model: string;
  sessionId: string;
  project: string;
  cwd: string;
  gitBranch?: string;
  version?: string;
  agentId?: string | null;
  input: number;
  output: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
  cacheRead?: number;
}

export interface SeedOptions {
  /** Last day of data, YYYY-MM-DD (UTC calendar); data covers `days` days ending there. */
  endDay: string;
  days: number;
  projects: number;
  sessions: number;
  requestsPerSession: number;
  seed?: number;
}

const MODELS = ['claude-opus-4-5-20251101', 'claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001'];
const pricing = loadPricing();

function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** Inserts rows as counted messages (one `files` row per session), computing day/hour in `timezone`. */
export function insertUsageRows(db: Db, rows: readonly SeedRow[], timezone = 'UTC'): void {
  const localTime = makeLocalTime(timezone);
  const fileIds = new Map<string, number>();
  const insertFile = db.prepare(
    `INSERT INTO files (path, claude_dir, project) VALUES (?, '/seed', ?)
     ON CONFLICT (path) DO UPDATE SET project = excluded.project RETURNING id`,
  );
  const insert = db.prepare(
    `INSERT INTO messages (key, message_id, request_id, file_id, line_no, ts, day, hour, model, session_id,
       project, cwd, git_branch, version, is_sidechain, agent_id, service_tier, speed, input_tokens, output_tokens,
       cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, total_tokens, web_search_requests,
       cost_logged_usd, cost_calc_usd, superseded)
     VALUES (@key, @key, @key, @fileId, @lineNo, @ts, @day, @hour, @model, @sessionId, @project, @cwd, @gitBranch,
       @version, @isSidechain, @agentId, 'standard', NULL, @input, @output, @cacheWrite5m, @cacheWrite1h, @cacheRead,
       @totalTokens, 0, NULL, @cost, 0)`,
  );
  const keyCount = db.prepare('SELECT count(*) AS n FROM messages').pluck();
  let n = keyCount.get() as number;
  const rollup = createDailyRollup(db)();
  db.transaction(() => {
    for (const r of rows) {
      let fileId = fileIds.get(r.sessionId);
      if (fileId === undefined) {
        fileId = (insertFile.get(`/seed/${r.project}/${r.sessionId}.jsonl`, r.project) as { id: number }).id;
        fileIds.set(r.sessionId, fileId);
      }
      const tokens = {
        input: r.input,
        output: r.output,
        cacheWrite5m: r.cacheWrite5m ?? 0,
        cacheWrite1h: r.cacheWrite1h ?? 0,
        cacheRead: r.cacheRead ?? 0,
      };
      const { day, hour } = localTime(r.ts);
      n++;
      const totalTokens =
        tokens.input + tokens.output + tokens.cacheWrite5m + tokens.cacheWrite1h + tokens.cacheRead;
      const cost = requestCost(pricing, {
        model: r.model,
        ts: r.ts,
        speed: null,
        geo: null,
        ...tokens,
        webSearchRequests: 0,
      });
      rollup.add(
        {
          day,
          model: r.model,
          project: r.project,
          ...tokens,
          totalTokens,
          webSearchRequests: 0,
          costLogged: null,
          costCalc: cost,
          sessionId: r.sessionId,
          ts: r.ts,
          cwd: r.cwd,
        },
        1,
      );
      insert.run({
        key: `msg_${n}`,
        fileId,
        lineNo: n,
        ts: r.ts,
        day,
        hour,
        model: r.model,
        sessionId: r.sessionId,
        project: r.project,
        cwd: r.cwd,
        gitBranch: r.gitBranch ?? 'main',
        version: r.version ?? '2.1.3',
        isSidechain: r.agentId ? 1 : 0,
        agentId: r.agentId ?? null,
        ...tokens,
        totalTokens,
        cost,
      });
    }
    db.prepare(
      `INSERT INTO meta (key, value) VALUES ('timezone', ?), ('last_ingest_at', ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    ).run(timezone, String(rows.reduce((m, r) => Math.max(m, r.ts), 0)));
    rollup.apply();
  })();
}

/** Synthesizes `sessions` sessions over `days` days across `projects` projects. */
export function syntheticRows(o: SeedOptions): SeedRow[] {
  const rand = prng(o.seed ?? 42);
  const end = Date.parse(`${o.endDay}T00:00:00Z`) + 86_400_000;
  const start = end - o.days * 86_400_000;
  const names = Array.from({ length: o.projects }, (_, i) => `app-${String(i + 1).padStart(2, '0')}`);
  const rows: SeedRow[] = [];
  for (let s = 0; s < o.sessions; s++) {
    // Sessions are spread evenly over the range, in working hours, with a little jitter.
    const dayIndex = Math.floor((s / o.sessions) * o.days);
    const t0 = start + dayIndex * 86_400_000 + (8 + rand() * 12) * 3_600_000;
    const name = names[Math.floor(rand() ** 1.6 * names.length)]!;
    const model = MODELS[Math.floor(rand() * MODELS.length)]!;
    const sessionId = `${(s + 1).toString(16).padStart(8, '0')}-5e55-4000-8000-${(s * 7919).toString(16).padStart(12, '0')}`;
    const requests = Math.max(1, Math.round(o.requestsPerSession * (0.3 + rand() * 1.4)));
    let ts = t0;
    for (let r = 0; r < requests; r++) {
      ts += 5_000 + Math.floor(rand() * 90_000);
      const sub = rand() < 0.1;
      rows.push({
        ts,
        model: sub ? MODELS[2]! : model,
        sessionId,
        project: `-home-dev-${name}`,
        cwd: `/home/dev/${name}`,
        gitBranch: rand() < 0.8 ? 'main' : `feature/${name}-${s % 7}`,
        version: `2.1.${Math.floor(s / 500)}`,
        agentId: sub ? `agent-${s}-${r % 3}` : null,
        input: 5 + Math.floor(rand() * 400),
        output: 50 + Math.floor(rand() * 2_000),
        cacheWrite5m: Math.floor(rand() * 8_000),
        cacheRead: 10_000 + Math.floor(rand() * 80_000),
      });
    }
  }
  return rows;
}

export function seedUsageDb(path: string, o: SeedOptions, timezone = 'UTC'): { messages: number } {
  const db = openDb(path);
  const rows = syntheticRows(o);
  insertUsageRows(db, rows, timezone);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { messages: rows.length };
}
