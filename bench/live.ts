// `npm run bench:live`: the live server's figures on a year of heavy use. Seeds an index (365 days, 50
// projects, 4,000 sessions), starts the real `ctm start` on 127.0.0.1 with a fixture Claude dir, then measures
// /api/v1/live and /api/v1/health with autocannon (bounded duration), the delay from a transcript append to
// the SSE push and to /api/v1/live, and the server's idle RSS. Writes bench/results/live.json atomically.
import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { assistantLine } from '../test/fixtures/fixture-lines.ts';
import { seedUsageDb } from '../test/fixtures/seed-usage-db.ts';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const APPENDS = 20;
const IDLE_WAIT_S = Number(process.env.BENCH_IDLE_WAIT_S ?? 130);
const root = mkdtempSync(join(tmpdir(), 'ctm-bench-live-'));
const dataDir = join(root, 'data');
const projectDir = join(root, 'claude', 'projects', '-home-dev-bench');
const transcript = join(projectDir, 'bench-session.jsonl');
const port = 40000 + Math.floor(Math.random() * 20000);
const base = `http://127.0.0.1:${port}`;

const today = new Date().toISOString().slice(0, 10);
mkdirSync(projectDir, { recursive: true });
const WITH_SITE = process.env.BENCH_SITE !== '0';
let seq = 0;
const line = (): string =>
  assistantLine({
    id: `msg_bench_${seq++}`,
    timestamp: new Date().toISOString(),
    sessionId: 'bench-session',
    cwd: '/home/dev/bench',
    input: 120,
    output: 800,
    cacheRead: 40_000,
  }) + '\n';
writeFileSync(transcript, line());
const seeded = seedUsageDb(join(dataDir, 'ctm.db'), {
  endDay: today,
  days: 365,
  projects: 50,
  sessions: 4000,
  requestsPerSession: 60,
});
process.stdout.write(`seeded ${seeded.messages} messages\n`);

const env = {
  ...process.env,
  CTM_DATA_DIR: dataDir,
  CTM_CLAUDE_DIR: join(root, 'claude'),
  CTM_TZ: 'UTC',
};
// The index as a long-running install has it: settings reconciled and the transcripts read once.
spawnSync(process.execPath, ['bin/ctm.js', 'ingest', '--once'], { env, stdio: 'ignore' });
let siteBuildMs: number | null = null;
if (WITH_SITE) {
  // The real published site and its SSR bundle, so the idle figure includes the bundle loaded for /live/
  // and the page renderer of the refresh.
  const t0 = Date.now();
  const built = spawnSync(process.execPath, ['bin/ctm.js', 'build'], { env, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('site build failed');
  siteBuildMs = Date.now() - t0;
} else {
  // Without a site the first pass would start a full build during the measurements: publish a stub.
  mkdirSync(join(dataDir, 'site', 'current'), { recursive: true });
  writeFileSync(join(dataDir, 'site', 'current', 'index.html'), '<!doctype html><title>ctm</title>\n');
}
const server = spawn(process.execPath, ['bin/ctm.js', 'start'], {
  env: {
    ...process.env,
    CTM_DATA_DIR: dataDir,
    CTM_CLAUDE_DIR: join(root, 'claude'),
    CTM_PORT: String(port),
    CTM_REBUILD_CRON: 'off',
    CTM_SNAPSHOT_CRON: 'off',
    CTM_LOG_LEVEL: 'warn',
    CTM_TZ: 'UTC',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const getJson = async (path: string): Promise<{ status: number; body: any }> => {
  const res = await fetch(base + path);
  return { status: res.status, body: await res.json() };
};
const rssMb = (): number => {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
};
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function waitReady(): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    try {
      const h = await getJson('/api/v1/health');
      if (h.status === 200 && h.body.last_ingest_at) return Date.now() - t0;
    } catch {
      // not listening yet
    }
    if (Date.now() - t0 > 60_000) throw new Error('server did not become ready');
    await sleep(50);
  }
}

async function cannon(path: string, duration = DURATION_S) {
  const r = await autocannon({
    url: base + path,
    connections: CONNECTIONS,
    duration,
  });
  return {
    path,
    connections: CONNECTIONS,
    durationS: duration,
    requestsPerSecond: Math.round(r.requests.average),
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

/** Appends a line and times (a) the SSE commit event and (b) /api/v1/live counting the new message. */
async function appendLatency(): Promise<{ sseMs: number[]; liveMs: number[] }> {
  const events: number[] = [];
  let onEvent = (): void => {};
  const req = request(base + '/api/v1/stream', (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      if (chunk.includes('event: commit')) {
        events.push(performance.now());
        onEvent();
      }
    });
  });
  req.end();
  await sleep(300);
  const sseMs: number[] = [];
  const liveMs: number[] = [];
  for (let i = 0; i < APPENDS; i++) {
    const before = (await getJson('/api/v1/live')).body.today.messages as number;
    const gotEvent = new Promise<void>((resolve) => (onEvent = resolve));
    const t0 = performance.now();
    appendFileSync(transcript, line());
    const polling = (async () => {
      for (;;) {
        const now = (await getJson('/api/v1/live')).body.today.messages as number;
        if (now > before) return performance.now() - t0;
        await sleep(5);
      }
    })();
    await Promise.race([gotEvent, sleep(5000)]);
    sseMs.push(events.length ? events.at(-1)! - t0 : Infinity);
    liveMs.push(await polling);
    events.length = 0;
    await sleep(150);
  }
  req.destroy();
  return { sseMs, liveMs };
}

try {
  const startupMs = await waitReady();
  await sleep(3000);
  const rssIdleMb = rssMb();
  const rssPhases: Record<string, number> = {};
  const live = await cannon('/api/v1/live');
  rssPhases.afterLive = Math.round(rssMb());
  const health = await cannon('/api/v1/health');
  rssPhases.afterHealth = Math.round(rssMb());
  const livePage = WITH_SITE ? await cannon('/live/', Math.max(3, Math.round(DURATION_S / 2))) : null;
  rssPhases.afterLivePage = Math.round(rssMb());
  const latency = await appendLatency();
  rssPhases.afterAppends = Math.round(rssMb());
  await sleep(5000);
  const rssAfterMb = rssMb();
  // The refresh worker stops after two minutes without commits; idle again means after that.
  await sleep(IDLE_WAIT_S * 1000);
  const rssIdleAgainMb = rssMb();
  const summary = (xs: number[]) => ({
    p50: Math.round(pct(xs, 50)),
    p95: Math.round(pct(xs, 95)),
    max: Math.round(Math.max(...xs)),
  });
  const result = {
    measuredAt: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model,
      loadavgAtEnd: loadavg().map((l) => Math.round(l * 100) / 100),
    },
    data: { messages: seeded.messages + seq, days: 365, projects: 50, sessions: 4000 },
    startupMs,
    withSite: WITH_SITE,
    siteBuildMs,
    live,
    health,
    livePage,
    appendToSseMs: summary(latency.sseMs),
    appendToLiveMs: summary(latency.liveMs),
    rssMb: {
      idleAfterStart: Math.round(rssIdleMb),
      ...rssPhases,
      fiveSecondsAfterLoad: Math.round(rssAfterMb),
      [`idle${IDLE_WAIT_S}sAfterLoad`]: Math.round(rssIdleAgainMb),
    },
    targets: {
      live: { requestsPerSecond: 2000, p99Ms: 25 },
      health: { requestsPerSecond: 5000 },
      appendToVisibleMs: 500,
      idleRssMb: 200,
    },
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/live.json.tmp', JSON.stringify(result, null, 2) + '\n');
  renameSync('bench/results/live.json.tmp', 'bench/results/live.json');
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(root, { recursive: true, force: true });
}
