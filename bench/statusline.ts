// `npm run bench:statusline`: `ctm statusline` timed as Claude Code runs it, the whole process, over a year of
// heavy use. Seeds an index (365 days, 50 projects, 4,000 sessions), indexes a session's transcript with the
// real `ctm ingest --once`, appends the response "just written" (only the transcript's tail has it), takes
// the command `ctm statusline --print-config` prints and runs it through /bin/sh from Node with the document
// on a stdin pipe, as Claude Code does. Then ten calls at once, round after round, each with a new 5-hour
// reading: the slowest call, and the history checked for lost or duplicate rows. All of it twice: on its own
// (each call a Node process), then with `ctm start` running (the script's curl reaches its socket). Writes
// bench/results/statusline.json atomically.
import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { assistantLine } from '../test/fixtures/fixture-lines.ts';
import { statusDocument } from '../test/fixtures/status-document.ts';
import { seedUsageDb } from '../test/fixtures/seed-usage-db.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const root = mkdtempSync(join(tmpdir(), 'ctm-bench-statusline-'));
const dataDir = join(root, 'data');
const claudeDir = join(root, 'claude');
const session = 'b3nc4000-5e55-4000-8000-00000000cafe';
const transcript = join(claudeDir, 'projects', '-home-dev-bench', `${session}.jsonl`);
const quiet = 'b3nc4000-5e55-4000-8000-00000000beef';
const quietTranscript = join(claudeDir, 'projects', '-home-dev-bench', `${quiet}.jsonl`);
const env = {
  PATH: process.env.PATH,
  HOME: root,
  CTM_DATA_DIR: dataDir,
  CTM_CLAUDE_DIR: claudeDir,
  CTM_TZ: 'UTC',
  CTM_LOG_LEVEL: 'warn',
  // A compile cache of the benchmark's own, so its first call is a truly cold one.
  NODE_COMPILE_CACHE: join(root, 'node-compile-cache'),
};

const now = Date.now();
const today = new Date(now).toISOString().slice(0, 10);
const response = (sessionId: string, i: number, minutesAgo: number) =>
  assistantLine({
    id: `msg_bench_${sessionId.slice(-4)}_${i}`,
    timestamp: new Date(now - minutesAgo * 60_000).toISOString(),
    sessionId,
    model: 'claude-opus-4-5-20251101',
    cwd: '/home/dev/bench',
    input: 12,
    output: 900,
    cacheWrite: 3_000,
    cacheRead: 70_000,
    text: 'x'.repeat(2_000),
  });

mkdirSync(join(claudeDir, 'projects', '-home-dev-bench'), { recursive: true });
const seeded = seedUsageDb(join(dataDir, 'ctm.db'), {
  endDay: today,
  days: 365,
  projects: 50,
  sessions: 4000,
  requestsPerSession: 60,
});
// Two sessions of the last hour: 80 responses each, indexed by the real ingest.
writeFileSync(transcript, Array.from({ length: 80 }, (_, i) => response(session, i, 90 - i) + '\n').join(''));
writeFileSync(
  quietTranscript,
  Array.from({ length: 80 }, (_, i) => response(quiet, i, 90 - i) + '\n').join(''),
);
const ingest = spawnSync(process.execPath, ['bin/ctm.js', 'ingest', '--once'], { env, encoding: 'utf8' });
if (ingest.status !== 0) throw new Error(`ctm ingest failed: ${ingest.stderr}`);
// The response Claude Code has just written, before any ingest has read it: the status line's tail.
appendFileSync(transcript, response(session, 80, 0.1) + '\n');

const printed = spawnSync(process.execPath, ['bin/ctm.js', 'statusline', '--print-config'], {
  env,
  encoding: 'utf8',
});
const command = (JSON.parse(printed.stdout) as { statusLine: { command: string } }).statusLine.command;

const resets = Math.floor(now / 1000) + 3 * 3600;
const doc = (sessionId: string, path: string, fiveHour: number) =>
  JSON.stringify(
    statusDocument({
      sessionId,
      transcriptPath: path,
      fiveHour: { used: fiveHour, resetsAt: resets },
      sevenDay: { used: 63, resetsAt: resets + 4 * 86400 },
    }),
  );

interface Call {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** One call as Claude Code makes it: the command through the shell, the document on a stdin pipe. */
function call(input: string, cmd = command): Promise<Call> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn('/bin/sh', ['-c', cmd], { cwd: root, env: { PATH: '/usr/bin:/bin', HOME: root } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('close', (code) => resolve({ ms: performance.now() - started, code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))]! * 10) / 10;
};
const summary = (xs: number[]) => ({
  p50: pct(xs, 0.5),
  p95: pct(xs, 0.95),
  p99: pct(xs, 0.99),
  max: Math.round(Math.max(...xs) * 10) / 10,
});
const check = (c: Call) => {
  if (c.code !== 0 || c.stderr !== '' || !c.stdout.endsWith('\n'))
    throw new Error(`bad call: ${JSON.stringify(c)}`);
};

const cold = await call(doc(session, transcript, 10));
check(cold);
const firstLine = cold.stdout.trim();
await call(doc(session, transcript, 10)); // the price table's cache is written by the first call with a tail

// Whatever the calls add to the history is checked to be there once: each round's readings are new.
const historyCount = (): number => {
  const db = new Database(join(dataDir, 'limits.db'), { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM rate_limits').pluck().get() as number;
  } finally {
    db.close();
  }
};
const duplicateReadings = (): number => {
  const db = new Database(join(dataDir, 'limits.db'), { readonly: true });
  try {
    return db
      .prepare(
        `SELECT count(*) FROM (SELECT window_name, resets_at, used_percentage FROM rate_limits
         GROUP BY 1, 2, 3 HAVING count(*) > 1)`,
      )
      .pluck()
      .get() as number;
  } finally {
    db.close();
  }
};

let reading = 10;
/** Sequential calls, a new 5-hour reading every tenth (as the window fills: those calls write the history). */
async function sequential(runs: number, withFloor: boolean) {
  const floor: number[] = [];
  const version: number[] = [];
  const tail: number[] = [];
  const indexed: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 10 === 0) reading += 0.5;
    if (withFloor) {
      floor.push((await call('', `'${process.execPath}' -e 0`)).ms);
      version.push(
        (await call('', `'${process.execPath}' '${join(process.cwd(), 'bin', 'ctm.js')}' --version`)).ms,
      );
    }
    const t = await call(doc(session, transcript, reading));
    check(t);
    tail.push(t.ms);
    const q = await call(doc(quiet, quietTranscript, reading));
    check(q);
    indexed.push(q.ms);
  }
  return {
    runs,
    ...(withFloor ? { nodeStartMs: summary(floor), ctmVersionMs: summary(version) } : {}),
    withUnindexedTailMs: summary(tail),
    indexedMs: summary(indexed),
  };
}

/** Ten sessions at once, round after round, each call with a reading of its own: none lost, none twice. */
async function concurrent(rounds: number) {
  const before = historyCount();
  const all: number[] = [];
  const slowest: number[] = [];
  for (let r = 0; r < rounds; r++) {
    reading += 1;
    const calls = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call(doc(i % 2 ? session : quiet, i % 2 ? transcript : quietTranscript, reading + i / 20)),
      ),
    );
    calls.forEach(check);
    all.push(...calls.map((c) => c.ms));
    slowest.push(Math.max(...calls.map((c) => c.ms)));
  }
  return {
    rounds,
    callsPerRound: 10,
    allCallsMs: summary(all),
    slowestPerRoundMs: summary(slowest),
    historyRowsExpected: rounds * 10,
    historyRowsAdded: historyCount() - before,
    duplicateReadings: duplicateReadings(),
  };
}

const standalone = { sequential: await sequential(RUNS, true), concurrent: await concurrent(ROUNDS) };

// The same calls with `ctm start` running on the data dir: the script's curl reaches its socket. Its first
// build is waited for, so the measurements do not share the CPUs with it; its ingest then reads the tail.
const server = spawn(
  process.execPath,
  ['bin/ctm.js', 'start', '--port', String(40000 + Math.floor(Math.random() * 20000))],
  {
    env: { ...env, CTM_REBUILD_CRON: 'off', CTM_SNAPSHOT_CRON: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
let serverLog = '';
server.stdout.on('data', (b) => (serverLog += b));
server.stderr.on('data', (b) => (serverLog += b));
const until = async (test: () => boolean, what: string, ms: number) => {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`ctm start: no ${what} after ${ms} ms\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};
await until(() => existsSync(join(dataDir, 'statusline.sock')), 'status-line socket', 60_000);
await until(() => existsSync(join(dataDir, 'site', 'current')), 'first build', 300_000);
await new Promise((r) => setTimeout(r, 3000)); // the build's children gone, the ingest settled
const throughServer = { sequential: await sequential(RUNS, false), concurrent: await concurrent(ROUNDS) };
server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));

const result = {
  at: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', loadavg: loadavg() },
  node: process.version,
  messages: seeded.messages,
  command,
  line: firstLine,
  coldFirstCallMs: Math.round(cold.ms),
  standalone,
  throughServer,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/statusline.json.tmp', JSON.stringify(result, null, 2) + '\n');
renameSync('bench/results/statusline.json.tmp', 'bench/results/statusline.json');
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
rmSync(root, { recursive: true, force: true });
