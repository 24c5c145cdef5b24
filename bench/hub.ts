// `npm run bench:hub`: a hub's figures on these cores. A real `ctm start` hub (CTM_INGEST_TOKENS, no Claude dir
// of its own, a placeholder site so no page render runs during the measurement) takes ten machines' heavy
// years (365 days, 50 projects, 4,000 sessions each: ~3 million responses), sent as agents send them: OTLP
// JSON, gzip, batches of 500, two requests in flight. Each machine's bodies are made before its timing window,
// so the figure is the hub's, not the encoder's. Then, on the full index: `ctm report daily --json`, the
// /api/v1/usage p99 (autocannon), a full site build, and an agent's catch-up of ~2,000 responses after an
// outage (the in-process agent against a fresh hub). Writes bench/results/hub.json atomically.
// Options (environment): BENCH_MACHINES (10), BENCH_HUB_DIR keeps the hub's data directory there and, when it
// already holds that many machines' years, reuses it instead of sending them again (the hub still opens it with
// `ctm start`, so a new migration upgrades it in place, timed as the hub's start); BENCH_API_RUNS autocannon
// runs of 10 s per query and mode (3); BENCH_API=0 skips them, BENCH_BUILD=0 the site build, BENCH_AGENT=0 the
// catch-up.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { openDb } from '../src/db/open.ts';
import type { PushRow } from '../src/db/queries/push-rows.ts';
import { silentLogger } from '../src/log.ts';
import { pushPending } from '../src/push/push-agent.ts';
import { usageLogsRequest } from '../src/push/usage-log-records.ts';
import {
  insertUsageRows,
  seedUsageDb,
  syntheticRows,
  type SeedOptions,
} from '../test/fixtures/seed-usage-db.ts';

const MACHINES = Number(process.env.BENCH_MACHINES ?? 10);
const API_RUNS = Number(process.env.BENCH_API_RUNS ?? 3);
const keptHubDir = process.env.BENCH_HUB_DIR;
const BATCH = 500;
const IN_FLIGHT = 2;
const root = mkdtempSync(join(tmpdir(), 'ctm-bench-hub-'));
const today = new Date().toISOString().slice(0, 10);
const YEAR: SeedOptions = { endDay: today, days: 365, projects: 50, sessions: 4000, requestsPerSession: 75 };
const token = (m: number) => `bench-token-of-machine-${m}-0123456789`;
const machine = (m: number) => `machine-${String(m).padStart(2, '0')}`;
const randomPort = () => 20000 + Math.floor(Math.random() * 30000);

/** A published site of one page, so `ctm start` starts no build: `current` a symlink to it, as a build leaves it
 * (a directory there would stop the later `ctm build` from swapping its release in), and no server bundle, so
 * no page refresh runs either. A kept data dir's earlier builds stay in releases/. */
function publishPlaceholder(dataDir: string): void {
  const site = join(dataDir, 'site');
  mkdirSync(join(site, 'placeholder'), { recursive: true });
  writeFileSync(join(site, 'placeholder', 'index.html'), '<!doctype html><title>ctm</title>\n');
  for (const link of ['current', 'server-current'])
    rmSync(join(site, link), { recursive: true, force: true });
  symlinkSync(join(site, 'placeholder'), join(site, 'current'));
}

function status(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)![1]) / 1024;
}

interface Hub {
  proc: ChildProcess;
  http: string;
  otlp: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** Hubs still running, stopped if the benchmark fails half way. */
const running = new Set<ChildProcess>();

async function startHub(dataDir: string, machines: number): Promise<Hub> {
  const tokens = join(dataDir, '..', `tokens-${machines}`);
  writeFileSync(
    tokens,
    Array.from({ length: machines }, (_, m) => `${machine(m)} ${token(m)}`).join('\n') + '\n',
  );
  const port = randomPort();
  const otlpPort = port + 1;
  const proc = spawn(process.execPath, ['bin/ctm.js', 'start'], {
    env: {
      PATH: process.env.PATH,
      HOME: root,
      CTM_DATA_DIR: dataDir,
      CTM_CLAUDE_DIR: join(root, 'no-claude-dir'),
      CTM_TZ: 'UTC',
      CTM_PORT: String(port),
      CTM_OTLP_PORT: String(otlpPort),
      CTM_INGEST_TOKENS: tokens,
      CTM_INGEST_RATE: '100000',
      CTM_REBUILD_CRON: 'off',
      CTM_SNAPSHOT_CRON: 'off',
      CTM_LOG_LEVEL: 'warn',
      CTM_MACHINE: 'hub',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
  const http = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${http}/api/v1/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error('the hub did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    proc,
    http,
    otlp: `http://127.0.0.1:${otlpPort}/v1/logs`,
    dataDir,
    stop: () =>
      new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

/** A seeded row as an agent's push reads it from its index. */
function pushRowsOf(m: number): PushRow[] {
  return syntheticRows({ ...YEAR, seed: 100 + m }).map((r, i) => ({
    rowid: i + 1,
    key: `msg_m${m}_${i}`,
    messageId: `msg_m${m}_${i}`,
    requestId: `req_m${m}_${i}`,
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
    costLoggedUsd: null,
  }));
}

async function send(url: string, auth: string, bodies: Buffer[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      for (;;) {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-encoding': 'gzip',
            authorization: `Bearer ${auth}`,
          },
          body: new Uint8Array(body),
        });
        const text = await res.text();
        if (res.status === 200) {
          if (text !== '{}') throw new Error(`partial success: ${text}`);
          break;
        }
        if (res.status !== 503 && res.status !== 429) throw new Error(`${res.status}: ${text}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

/** How many machines an index holds responses of (0: no index yet). */
function machinesIn(path: string): number {
  try {
    statSync(path);
  } catch {
    return 0;
  }
  const d = openDb(path, { readonly: true });
  try {
    return d.prepare('SELECT count(DISTINCT machine) FROM usage_daily').pluck().get() as number;
  } finally {
    d.close();
  }
}

async function main(): Promise<void> {
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    loadavgBefore: loadavg(),
  };

  // 1. Ingest throughput into one hub, machine after machine, up to ten heavy years.
  const hubData = keptHubDir ?? join(root, 'hub');
  const reuse = keptHubDir !== undefined && machinesIn(join(hubData, 'ctm.db')) === MACHINES;
  publishPlaceholder(hubData);
  const startT0 = performance.now();
  const hub = await startHub(hubData, MACHINES);
  results.hubStartSeconds = +((performance.now() - startT0) / 1000).toFixed(2);
  if (reuse) process.stdout.write(`reusing ${hubData} (start ${results.hubStartSeconds} s)\n`);
  const perMachine: {
    machine: string;
    records: number;
    seconds: number;
    perSecond: number;
    hubRssMb: number;
  }[] = [];
  let records = 0;
  let seconds = 0;
  for (let m = 0; m < (reuse ? 0 : MACHINES); m++) {
    const rows = pushRowsOf(m);
    const bodies: Buffer[] = [];
    for (let i = 0; i < rows.length; i += BATCH)
      bodies.push(
        gzipSync(
          usageLogsRequest(rows.slice(i, i + BATCH), [], { machine: machine(m), user: `user-${m % 4}` }, 0),
        ),
      );
    const t0 = performance.now();
    await send(hub.otlp, token(m), bodies);
    const s = (performance.now() - t0) / 1000;
    records += rows.length;
    seconds += s;
    const row = {
      machine: machine(m),
      records: rows.length,
      seconds: +s.toFixed(2),
      perSecond: Math.round(rows.length / s),
      hubRssMb: Math.round(status(hub.proc.pid!, 'VmRSS')),
    };
    perMachine.push(row);
    process.stdout.write(`${JSON.stringify(row)}\n`);
  }
  if (!reuse)
    results.ingest = {
      batch: BATCH,
      inFlight: IN_FLIGHT,
      encoding: 'OTLP JSON, gzip',
      records,
      seconds: +seconds.toFixed(1),
      perSecond: Math.round(records / seconds),
      firstMachinePerSecond: perMachine[0]!.perSecond,
      lastMachinePerSecond: perMachine.at(-1)!.perSecond,
      hubPeakRssMb: Math.round(status(hub.proc.pid!, 'VmHWM')),
      perMachine,
    };
  else results.ingest = 'reused the index of an earlier run (BENCH_HUB_DIR)';
  process.stdout.write(`ingest: ${JSON.stringify(results.ingest)}\n`);

  // 2. The full index: the API under load while the hub runs, then the CLI report and a build.
  const usageRuns: Record<string, unknown> = {};
  const dayBefore = (day: string, n: number) =>
    new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
  const yearFrom = dayBefore(today, 364);
  const queries: [string, string][] = [
    ['usage (last 30 days by day)', ''],
    ['usage a year by day', ''],
    ['usage groupBy=machine, a year', 'groupBy=machine'],
    ['usage groupBy=user, a year', 'groupBy=user'],
    ['usage one machine by model, a year', `groupBy=model&machine=${machine(3)}`],
    ['usage one user by machine, a year', 'groupBy=machine&user=user-1'],
    ['usage one machine by model', `groupBy=model&machine=${machine(3)}`],
    ['usage groupBy=project, a year', 'groupBy=project'],
  ];
  // Each query twice: the same URL every time (a dashboard's poll: after the first, the hub's response cache
  // answers until the next commit), then with every request's range moved by a day, a year (or 30 days)
  // ending 0 to 99 days before today, so almost every request misses the cache and runs its query.
  for (const [name, query] of process.env.BENCH_API === '0' ? [] : queries) {
    const year = name.includes('a year');
    const pathOf = (to: string) => {
      const range = year
        ? `from=${dayBefore(to, 364)}&to=${to}`
        : !query
          ? `from=${dayBefore(to, 29)}&to=${to}`
          : '';
      return `/api/v1/usage?${[query, range].filter(Boolean).join('&')}`;
    };
    const fixed = year
      ? `/api/v1/usage?${[query, `from=${yearFrom}`].filter(Boolean).join('&')}`
      : `/api/v1/usage${query ? `?${query}` : ''}`;
    for (const mode of ['same URL', 'uncached'] as const) {
      if (mode === 'uncached' && !year && query) continue;
      let n = 0;
      const runs: {
        requestsPerSecond: number;
        p50Ms: number;
        p99Ms: number;
        non2xx: number;
        answered: number;
        timeouts: number;
      }[] = [];
      for (let i = 0; i < API_RUNS; i++) {
        const r = await autocannon({
          url: hub.http + fixed,
          connections: 10,
          duration: 10,
          ...(mode === 'uncached'
            ? {
                requests: [
                  { setupRequest: (req) => ({ ...req, path: pathOf(dayBefore(today, n++ % 100)) }) },
                ],
              }
            : {}),
        });
        runs.push({
          requestsPerSecond: Math.round(r.requests.average),
          p50Ms: r.latency.p50,
          p99Ms: r.latency.p99,
          non2xx: r.non2xx,
          answered: r.requests.total,
          timeouts: r.timeouts,
        });
      }
      // Over the runs that got answers: a run whose every request timed out (autocannon's 10 s) has no
      // latencies, and autocannon reports them as 0.
      const answered = runs.filter((r) => r.answered > 0);
      const range = (k: 'requestsPerSecond' | 'p50Ms' | 'p99Ms') =>
        answered.length
          ? [Math.min(...answered.map((r) => r[k])), Math.max(...answered.map((r) => r[k]))]
          : null;
      const key = `${name}, ${mode}`;
      usageRuns[key] = {
        path:
          mode === 'same URL'
            ? fixed
            : pathOf('2000-12-31').replace(/\d{4}-\d{2}-\d{2}/g, (d) =>
                d === '2000-12-31' ? '<0-99 days before today>' : '<that day - 364 or 29 days>',
              ),
        requestsPerSecond: range('requestsPerSecond'),
        p50Ms: range('p50Ms'),
        p99Ms: range('p99Ms'),
        non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
        timeouts: runs.reduce((n, r) => n + r.timeouts, 0),
        runs,
      };
      process.stdout.write(`${key}: ${JSON.stringify(usageRuns[key])}\n`);
    }
  }
  results.api = usageRuns;
  await hub.stop();
  const db = join(hubData, 'ctm.db');
  results.index = {
    messages: (() => {
      const d = openDb(db, { readonly: true });
      try {
        return d.prepare('SELECT count(*) FROM messages').pluck().get();
      } finally {
        d.close();
      }
    })(),
    bytes: statSync(db).size,
  };
  const env = {
    ...process.env,
    CTM_DATA_DIR: hubData,
    CTM_TZ: 'UTC',
    CTM_CLAUDE_DIR: join(root, 'no-claude-dir'),
  };
  const reportMs: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['bin/ctm.js', 'report', 'daily', '--json'], {
      env,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    if (r.status !== 0) throw new Error(r.stderr);
    reportMs.push(performance.now() - t0);
  }
  const byMachineMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['bin/ctm.js', 'report', 'daily', '--json', '--by', 'machine'], {
      env,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    if (r.status !== 0) throw new Error(r.stderr);
    byMachineMs.push(performance.now() - t0);
  }
  results.report = {
    dailyJsonMs: {
      median: Math.round(percentile(reportMs, 0.5)),
      max: Math.round(Math.max(...reportMs)),
      runs: reportMs.map(Math.round),
    },
    dailyByMachineJsonMs: {
      median: Math.round(percentile(byMachineMs, 0.5)),
      max: Math.round(Math.max(...byMachineMs)),
    },
  };
  process.stdout.write(`report: ${JSON.stringify(results.report)}\n`);
  if (process.env.BENCH_BUILD !== '0') {
    const t0 = performance.now();
    const build = spawn(process.execPath, ['bin/ctm.js', 'build'], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    let peak = 0;
    const poll = setInterval(() => {
      try {
        const pids = [
          build.pid!,
          ...spawnSync('pgrep', ['-P', String(build.pid)], { encoding: 'utf8' })
            .stdout.split('\n')
            .filter(Boolean)
            .map(Number),
        ];
        peak = Math.max(
          peak,
          pids.reduce((n, pid) => {
            try {
              return n + status(pid, 'VmRSS');
            } catch {
              return n;
            }
          }, 0),
        );
      } catch {
        // exited between the listing and the read
      }
    }, 200);
    const code = await new Promise<number | null>((resolve) => build.once('exit', resolve));
    clearInterval(poll);
    results.build = {
      ok: code === 0,
      seconds: +((performance.now() - t0) / 1000).toFixed(1),
      peakRssMb: Math.round(peak),
    };
    process.stdout.write(`build: ${JSON.stringify(results.build)}\n`);
  }

  // 3. An agent's catch-up: a heavy year sent once, then ~2,000 responses made while the hub was away.
  if (process.env.BENCH_AGENT !== '0') await catchUp(results);

  results.loadavgAfter = loadavg();
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/hub.json.tmp', JSON.stringify(results, null, 2) + '\n');
  renameSync('bench/results/hub.json.tmp', 'bench/results/hub.json');
  rmSync(root, { recursive: true, force: true });
}

async function catchUp(results: Record<string, unknown>): Promise<void> {
  const agentDb = join(root, 'agent', 'ctm.db');
  seedUsageDb(agentDb, { ...YEAR, seed: 7 });
  const freshData = join(root, 'hub2');
  publishPlaceholder(freshData);
  const hub2 = await startHub(freshData, 1);
  const agent = openDb(agentDb);
  const push = () =>
    pushPending({
      db: agent,
      url: hub2.otlp.replace(/\/v1\/logs$/, ''),
      token: token(0),
      identity: { machine: machine(0), user: 'ana' },
      batch: BATCH,
      log: silentLogger,
    });
  let t0 = performance.now();
  const history = await push();
  const historyS = (performance.now() - t0) / 1000;
  insertUsageRows(
    agent,
    syntheticRows({ endDay: today, days: 1, projects: 5, sessions: 40, requestsPerSession: 50, seed: 8 }),
  );
  t0 = performance.now();
  const caught = await push();
  const catchUpS = (performance.now() - t0) / 1000;
  results.agent = {
    history: {
      rows: history.sent,
      seconds: +historyS.toFixed(2),
      perSecond: Math.round(history.sent / historyS),
    },
    catchUp: { rows: caught.sent, requests: caught.requests, seconds: +catchUpS.toFixed(2) },
  };
  process.stdout.write(`agent: ${JSON.stringify(results.agent)}\n`);
  agent.close();
  await hub2.stop();
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  for (const proc of running) proc.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
  process.exit(1);
});
