// GET /api/v1/usage on a hub's index (real SQLite, the real migrations, rows written by the hub's store as
// agents send them, beside the hub's own): every grouping, of everyone or of one machine or user, sums to
// exactly what the responses themselves sum to, whichever rollup answers it; and a cached body is never
// served after a commit changed the index.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { openDb, type Db } from '../db/open.ts';
import type { PushRow } from '../db/queries/push-rows.ts';
import { mapRecords } from '../hub/hub-records.ts';
import { createHubStore } from '../hub/hub-store.ts';
import { decodeOtlpJson } from '../hub/otlp-json.ts';
import { silentLogger } from '../log.ts';
import { loadPricing } from '../pricing/load-pricing.ts';
import { usageLogsRequest } from '../push/usage-log-records.ts';
import { insertUsageRows, syntheticRows, type SeedOptions } from '../../test/fixtures/seed-usage-db.ts';
import { usage } from './api-responses.ts';
import { createRuntime, type Runtime } from './runtime.ts';

const root = mkdtempSync(join(tmpdir(), 'ctm-usage-api-'));
mkdirSync(join(root, 'claude', 'projects'), { recursive: true });
const config = loadConfig({
  CTM_CLAUDE_DIR: join(root, 'claude'),
  CTM_DATA_DIR: join(root, 'data'),
  CTM_TZ: 'UTC',
  CTM_MACHINE: 'hub',
  CTM_USER: 'ops',
});
const NOW = Date.parse('2026-03-31T12:00:00Z');
const DAYS: SeedOptions = {
  endDay: '2026-03-31',
  days: 40,
  projects: 6,
  sessions: 60,
  requestsPerSession: 12,
};
const MACHINES = [
  { machine: 'laptop', user: 'ana' },
  { machine: 'desk', user: 'ana' },
  { machine: 'build-01', user: 'ci' },
];

let writer: Db;
let rt: Runtime;

function pushRowsOf(m: number, seed: number): PushRow[] {
  return syntheticRows({ ...DAYS, seed }).map((r, i) => ({
    rowid: i + 1,
    key: `msg_${seed}_${i}`,
    messageId: `msg_${seed}_${i}`,
    requestId: `req_${seed}_${i}`,
    advisorOf: null,
    ts: r.ts,
    model: r.model,
    sessionId: `${m}-${r.sessionId}`,
    project: r.project,
    cwd: r.cwd,
    gitBranch: r.gitBranch ?? null,
    version: r.version ?? null,
    isSidechain: r.agentId ? 1 : 0,
    agentId: r.agentId ?? null,
    serviceTier: 'standard',
    speed: null,
    geo: null,
    input: r.input,
    output: r.output,
    cacheWrite5m: r.cacheWrite5m ?? 0,
    cacheWrite1h: 0,
    cacheRead: r.cacheRead ?? 0,
    thinking: 0,
    webSearchRequests: 0,
    webFetchRequests: 0,
    // Every fifth response carries Claude Code's own cost, which the auto mode prefers.
    costLoggedUsd: i % 5 === 0 ? (r.input + r.output) / 1e5 : null,
  }));
}

function send(m: number, rows: PushRow[]): void {
  const store = createHubStore(writer, { timezone: 'UTC', pricing: loadPricing() });
  for (let i = 0; i < rows.length; i += 200) {
    const body = usageLogsRequest(rows.slice(i, i + 200), [], MACHINES[m]!, 0);
    const mapped = mapRecords(decodeOtlpJson(body), MACHINES[m]!.machine);
    if (!mapped.ok) throw new Error(mapped.forbidden);
    store.write(mapped.batch);
  }
}

beforeAll(() => {
  writer = openDb(config.dbPath);
  writer.prepare(`INSERT OR REPLACE INTO meta VALUES ('timezone', 'UTC')`).run();
  insertUsageRows(writer, syntheticRows({ ...DAYS, seed: 1 })); // the hub's own transcripts
  MACHINES.forEach((_, m) => send(m, pushRowsOf(m, 10 + m)));
  // A larger copy of some responses already stored (the hub keeps the larger): a group shrinks and grows.
  send(
    0,
    pushRowsOf(0, 10)
      .slice(0, 50)
      .map((r) => ({ ...r, output: r.output + 1000 })),
  );
  rt = createRuntime(config, silentLogger);
});

afterAll(() => {
  rt?.close();
  writer?.close();
  rmSync(root, { recursive: true, force: true });
});

interface Row {
  key: string;
  inputTokens: number;
  outputTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  cost: number;
  messages: number;
  unpricedMessages: number;
}

function get(query: string): { status: number; body: { rows: Row[]; totals: Record<string, number> } } {
  const r = usage(rt, new URL(`http://localhost/api/v1/usage?${query}`), NOW);
  return { status: r.status, body: JSON.parse(r.body.toString()) };
}

const KEY_SQL: Record<string, string> = {
  day: 'day',
  hour: `day || 'T' || printf('%02d', hour)`,
  model: 'model',
  project: 'project',
  session: 'session_id',
  machine: `CASE machine WHEN '' THEN 'hub' ELSE machine END`,
  user: `CASE user_name WHEN '' THEN 'ops' ELSE user_name END`,
};

/** The same grouping summed in JavaScript from each counted response, as the usage view holds them. */
function perResponse(
  groupBy: string,
  where: { machine?: string; user?: string; project?: string },
  from: string,
  to: string,
) {
  const responses = writer
    .prepare(
      `SELECT ${KEY_SQL[groupBy]} AS key, input_tokens, output_tokens, cache_write_5m_tokens,
         cache_write_1h_tokens, cache_read_tokens, total_tokens, coalesce(cost_logged_usd, cost_calc_usd) AS cost,
         CASE machine WHEN '' THEN 'hub' ELSE machine END AS m, CASE user_name WHEN '' THEN 'ops' ELSE user_name END AS u,
         cwd
       FROM usage WHERE day >= ? AND day <= ?`,
    )
    .all(from, to) as Record<string, number | string | null>[];
  const groups = new Map<string, Row>();
  for (const r of responses) {
    if (where.machine !== undefined && r.m !== where.machine) continue;
    if (where.user !== undefined && r.u !== where.user) continue;
    // The seeded projects' display names are their working directory's last folder (app-01 …).
    if (where.project !== undefined && !String(r.cwd).endsWith(`/${where.project}`)) continue;
    const key = String(r.key);
    let g = groups.get(key);
    if (!g) {
      g = {
        key,
        inputTokens: 0,
        outputTokens: 0,
        cacheWrite5mTokens: 0,
        cacheWrite1hTokens: 0,
        cacheReadTokens: 0,
        totalTokens: 0,
        cost: 0,
        messages: 0,
        unpricedMessages: 0,
      };
      groups.set(key, g);
    }
    g.inputTokens += Number(r.input_tokens);
    g.outputTokens += Number(r.output_tokens);
    g.cacheWrite5mTokens += Number(r.cache_write_5m_tokens);
    g.cacheWrite1hTokens += Number(r.cache_write_1h_tokens);
    g.cacheReadTokens += Number(r.cache_read_tokens);
    g.totalTokens += Number(r.total_tokens);
    if (r.cost === null) g.unpricedMessages++;
    else g.cost += Number(r.cost);
    g.messages++;
  }
  return [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
}

const GROUPINGS = ['day', 'hour', 'model', 'project', 'session', 'machine', 'user'];
const FILTERS: { machine?: string; user?: string; project?: string }[] = [
  {},
  { machine: 'laptop' },
  { machine: 'hub' },
  { user: 'ana' },
  { user: 'ops' },
  { machine: 'desk', user: 'ana' },
  { project: 'app-01' },
  { machine: 'laptop', project: 'app-02' },
];
// Whole months (read by month where the rollup has them), days at both ends of a month, days within one.
const RANGES = [
  ['2026-02-01', '2026-03-31'],
  ['2026-02-25', '2026-03-31'],
  ['2026-03-10', '2026-03-12'],
];

describe('GET /api/v1/usage on a hub', () => {
  it('has every machine in the index, the hub its own rows under its name', () => {
    const { body } = get('groupBy=machine&from=2026-01-01');
    expect(body.rows.map((r) => r.key).sort()).toEqual(['build-01', 'desk', 'hub', 'laptop']);
    expect(body.rows.every((r) => r.messages > 300)).toBe(true);
  });

  it.each(GROUPINGS.flatMap((g) => FILTERS.flatMap((f) => RANGES.map((r) => [g, f, r] as const))))(
    'groupBy=%s of %j over %j sums to the per-response sums',
    (groupBy, filter, [from, to]) => {
      const query = new URLSearchParams({ groupBy, from: from!, to: to!, ...filter }).toString();
      const { status, body } = get(query);
      expect(status).toBe(200);
      const expected = perResponse(groupBy, filter, from!, to!);
      expect(expected.length).toBeGreaterThan(0);
      const rows = [...body.rows].sort((a, b) => (a.key < b.key ? -1 : 1));
      expect(rows.map((r) => r.key)).toEqual(expected.map((r) => r.key));
      rows.forEach((r, i) => {
        const { cost, ...counts } = expected[i]!;
        expect(r).toMatchObject(counts);
        expect(r.cost).toBeCloseTo(cost, 6);
      });
      expect(body.totals.messages).toBe(expected.reduce((n, r) => n + r.messages, 0));
    },
  );

  it('takes ?project= as the pages name it, its path or its key, and names projects as the pages do', () => {
    const range = 'from=2026-02-01&to=2026-03-31';
    const byName = usage(rt, new URL(`http://localhost/api/v1/usage?${range}&project=app-02`), NOW);
    expect(byName.status).toBe(200);
    const body = JSON.parse(byName.body.toString());
    expect(body).toMatchObject({ project: '-home-dev-app-02', projectName: 'app-02' });
    for (const other of ['/home/dev/app-02', '-home-dev-app-02']) {
      const res = usage(rt, new URL(`http://localhost/api/v1/usage?${range}&project=${other}`), NOW);
      expect(JSON.parse(res.body.toString()).totals).toEqual(body.totals);
    }
    const projects = get(`groupBy=project&${range}`).body.rows as (Row & { name: string })[];
    expect(projects.map((r) => [r.key, r.name]).sort()).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) => [`-home-dev-app-0${n}`, `app-0${n}`]),
    );
    const unknown = usage(rt, new URL(`http://localhost/api/v1/usage?project=nope`), NOW);
    expect(unknown.status).toBe(400);
    const error = JSON.parse(unknown.body.toString());
    expect(error).toMatchObject({ error: 'bad_parameter', parameter: 'project' });
    expect(error.message).toBe(
      'project: no project is named "nope"; known: ' +
        [1, 2, 3, 4, 5, 6].map((n) => `app-0${n} (/home/dev/app-0${n})`).join(', '),
    );
  });

  it('answers a repeated query from its cache until a commit changes the index', () => {
    const query = 'groupBy=machine&from=2026-01-01';
    const first = usage(rt, new URL(`http://localhost/api/v1/usage?${query}`), NOW);
    expect(usage(rt, new URL(`http://localhost/api/v1/usage?${query}`), NOW).body).toBe(first.body);
    const laptop = () => get(query).body.rows.find((r) => r.key === 'laptop')!;
    const before = laptop();
    send(0, pushRowsOf(0, 77).slice(0, 7));
    const after = laptop();
    expect(after.messages).toBe(before.messages + 7);
    const { cost, ...counts } = perResponse('machine', {}, '2026-01-01', '2026-03-31').find(
      (r) => r.key === 'laptop',
    )!;
    expect(after).toMatchObject(counts);
    expect(after.cost).toBeCloseTo(cost, 6);
  });
});
