// `npm run bench:ingest` (the first half of `npm run bench`): the ingest figures the README quotes, measured
// through the real CLI (bin/ctm.js in child processes): cold ingest of a generated tree (time, MB/s, peak RSS), a
// no-change pass over 1,000 files, `ctm report daily --json` over a year (the tree's, and a heavier year of ~300k
// messages seeded straight into an index), and watch-mode latency from append to row in SQLite. Generated trees are
// cached under the temp dir by their parameters. Also checks the index totals against the generator's expected
// totals, so a fast wrong answer fails the bench. Size: CTM_BENCH_BYTES or --bytes.
import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { generateTree, treeKey, type TreeOptions, type TreeTotals } from '../test/fixtures/generate-tree.ts';
import { assistantLine } from '../test/fixtures/fixture-lines.ts';
import { openDb } from '../src/db/open.ts';
import { insertUsageRows, syntheticRows } from '../test/fixtures/seed-usage-db.ts';

const repo = new URL('..', import.meta.url).pathname;
const ctm = join(repo, 'bin/ctm.js');

const { values } = parseArgs({
  options: {
    bytes: { type: 'string', default: process.env.CTM_BENCH_BYTES ?? String(1e9) },
    days: { type: 'string', default: process.env.CTM_BENCH_DAYS ?? '365' },
    projects: { type: 'string', default: process.env.CTM_BENCH_PROJECTS ?? '50' },
    sessions: { type: 'string', default: process.env.CTM_BENCH_SESSIONS ?? '4000' },
    runs: { type: 'string', default: process.env.CTM_BENCH_RUNS ?? '15' },
    'watch-samples': { type: 'string', default: process.env.CTM_BENCH_WATCH_SAMPLES ?? '60' },
    cache: { type: 'string', default: process.env.CTM_BENCH_CACHE ?? join(tmpdir(), 'ctm-ingest-bench') },
    out: { type: 'string', default: join(repo, 'bench/results/ingest.json') },
  },
});
const runs = Number(values.runs);
const cacheDir = values.cache;
mkdirSync(cacheDir, { recursive: true });

/** A generated tree, reused when one with the same parameters is already cached. */
function cachedTree(o: Omit<TreeOptions, 'root'>): { root: string; totals: TreeTotals } {
  const root = join(cacheDir, `tree-${treeKey(o)}`);
  const marker = join(root, 'expected-totals.json');
  if (existsSync(marker)) return { root, totals: JSON.parse(readFileSync(marker, 'utf8')) as TreeTotals };
  const started = performance.now();
  process.stderr.write(`generating ${(o.targetBytes / 1e6).toFixed(0)} MB tree in ${root} … `);
  const totals = generateTree({ ...o, root });
  writeFileSync(marker + '.tmp', JSON.stringify(totals));
  renameSync(marker + '.tmp', marker);
  process.stderr.write(`${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return { root, totals };
}

interface Timed {
  seconds: number;
  peakRssMb: number;
  /** User + system CPU seconds of the child (all its threads). */
  cpuSeconds: number;
  stdout: string;
}

/** Runs the CLI under /usr/bin/time for wall time and the child's peak RSS. */
function readTree(dir: string): void {
  const buf = Buffer.allocUnsafe(1 << 20);
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const fd = openSync(join(entry.parentPath, entry.name), 'r');
    while (readSync(fd, buf, 0, buf.length, null) > 0);
    closeSync(fd);
  }
}

function runCtm(args: string[], env: Record<string, string>): Timed {
  const timeFile = join(cacheDir, `time-${process.pid}.txt`);
  const useTime = existsSync('/usr/bin/time');
  const cmd = useTime ? '/usr/bin/time' : process.execPath;
  const argv = useTime
    ? ['-o', timeFile, '-f', '%e %M %U %S', process.execPath, ctm, ...args]
    : [ctm, ...args];
  const started = performance.now();
  const r = spawnSync(cmd, argv, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`ctm ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const [, peakKb, user, sys] = useTime
    ? readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(/\s+/).map(Number)
    : [NaN, NaN, NaN, NaN];
  rmSync(timeFile, { force: true });
  return { seconds, peakRssMb: peakKb! / 1024, cpuSeconds: user! + sys!, stdout: r.stdout };
}

function round(n: number, d = 1): number {
  return Number(n.toFixed(d));
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
function stats(samples: number[]): { median: number; p95: number; min: number; max: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p95: quantile(s, 0.95), min: s[0]!, max: s.at(-1)!, n: s.length };
}

function lastRunMs(dataDir: string): number {
  const db = new Database(join(dataDir, 'ctm.db'), { readonly: true });
  try {
    const r = db
      .prepare('SELECT finished_at - started_at AS ms FROM ingest_runs ORDER BY id DESC LIMIT 1')
      .get() as {
      ms: number;
    };
    return r.ms;
  } finally {
    db.close();
  }
}

function checkTotals(dataDir: string, expected: TreeTotals): string[] {
  const db = new Database(join(dataDir, 'ctm.db'), { readonly: true });
  try {
    const got = db
      .prepare(
        `SELECT count(*) AS messages, sum(input_tokens) AS input, sum(output_tokens) AS output,
                sum(cache_write_5m_tokens) AS cacheWrite5m, sum(cache_write_1h_tokens) AS cacheWrite1h,
                sum(cache_read_tokens) AS cacheRead FROM usage`,
      )
      .get() as Record<string, number>;
    const fields = ['messages', 'input', 'output', 'cacheWrite5m', 'cacheWrite1h', 'cacheRead'] as const;
    return fields
      .filter((f) => got[f] !== expected[f])
      .map((f) => `${f}: index ${got[f]}, expected ${expected[f]}`);
  } finally {
    db.close();
  }
}

const env = (root: string, dataDir: string) => ({
  CTM_CLAUDE_DIR: root,
  CTM_DATA_DIR: dataDir,
  CTM_TZ: 'UTC',
  CTM_LOG_LEVEL: 'error',
});

const loadBefore = loadavg();
const params = {
  targetBytes: Number(values.bytes),
  days: Number(values.days),
  projects: Number(values.projects),
  sessions: Number(values.sessions),
};

// 1. Cold ingest of the big tree.
const main = cachedTree(params);
const mainData = join(cacheDir, `data-${process.pid}`);
rmSync(mainData, { recursive: true, force: true });
// Read the tree once first, so the cold-ingest figure is ingest's work (empty index, every byte parsed) rather
// than this machine's disk, whose page cache is reclaimed between runs.
readTree(main.root);
const cold = runCtm(['ingest', '--once'], env(main.root, mainData));
const coldPassMs = lastRunMs(mainData);
const wrong = checkTotals(mainData, main.totals);
if (wrong.length > 0) throw new Error(`index totals differ from the generator's:\n  ${wrong.join('\n  ')}`);
const rowCount = (() => {
  const db = new Database(join(mainData, 'ctm.db'), { readonly: true });
  const n = (db.prepare('SELECT count(*) AS n FROM usage').get() as { n: number }).n;
  db.close();
  return n;
})();

// 2. No-change pass: on 1,000 files exactly, and on the big tree.
const thousand = cachedTree({ targetBytes: 50e6, days: 30, projects: 20, sessions: 1000, subagentRate: 0 });
const thousandData = join(cacheDir, `data-1000-${process.pid}`);
rmSync(thousandData, { recursive: true, force: true });
runCtm(['ingest', '--once'], env(thousand.root, thousandData));
const noChange1000 = { passMs: [] as number[], cliMs: [] as number[] };
for (let i = 0; i < runs; i++) {
  const r = runCtm(['ingest', '--once'], env(thousand.root, thousandData));
  noChange1000.cliMs.push(r.seconds * 1000);
}
noChange1000.passMs = timePasses(thousand.root, thousandData, runs);
const noChangeMain = { passMs: timePasses(main.root, mainData, Math.min(runs, 5)) };

/** Passes timed inside one child process (the same functions as the CLI); each must read nothing. */
function timePasses(root: string, dataDir: string, n: number): number[] {
  const r = spawnSync(process.execPath, [join(repo, 'bench/time-pass.ts'), String(n)], {
    env: { ...process.env, ...env(root, dataDir) },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`time-pass failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { ms: number[]; filesRead: number };
  if (out.filesRead > 0) throw new Error(`a no-change pass read ${out.filesRead} files`);
  return out.ms.map((ms) => round(ms, 1));
}

// 3. `ctm report daily --json` over the big tree's year.
runCtm(['report', 'daily', '--json', '--timezone', 'UTC'], env(main.root, mainData)); // warm the compile cache
const reportMs: number[] = [];
const reportCpuMs: number[] = [];
let reportDays = 0;
for (let i = 0; i < runs; i++) {
  const r = runCtm(['report', 'daily', '--json', '--timezone', 'UTC'], env(main.root, mainData));
  reportMs.push(r.seconds * 1000);
  reportCpuMs.push(r.cpuSeconds * 1000);
  reportDays = (JSON.parse(r.stdout) as { daily: unknown[] }).daily.length;
}

// 3b. The same report over a year of heavier use than the tree holds: 4,000 sessions × 75 requests (~300k
// messages, the report site's benchmark shape) written straight into an index.
const heavyData = join(cacheDir, `data-heavy-${process.pid}`);
rmSync(heavyData, { recursive: true, force: true });
mkdirSync(heavyData, { recursive: true });
const heavyRows = (() => {
  const db = openDb(join(heavyData, 'ctm.db'));
  const rows = syntheticRows({
    days: 365,
    projects: 50,
    sessions: 4000,
    requestsPerSession: 75,
    endDay: '2026-11-01',
  });
  insertUsageRows(db, rows);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return rows.length;
})();
runCtm(['report', 'daily', '--json', '--timezone', 'UTC'], env(main.root, heavyData));
const heavyReportMs: number[] = [];
const heavyReportCpuMs: number[] = [];
for (let i = 0; i < runs; i++) {
  const r = runCtm(['report', 'daily', '--json', '--timezone', 'UTC'], env(main.root, heavyData));
  heavyReportMs.push(r.seconds * 1000);
  heavyReportCpuMs.push(r.cpuSeconds * 1000);
}
rmSync(heavyData, { recursive: true, force: true });

// 4. Watch mode: append a line, poll SQLite until its row is there.
const watchLatency = await measureWatch(Number(values['watch-samples']));

async function measureWatch(samples: number): Promise<number[]> {
  const tree = cachedTree({ targetBytes: 20e6, days: 30, projects: 10, sessions: 300, seed: 7 });
  const root = join(cacheDir, `watch-${process.pid}`);
  rmSync(root, { recursive: true, force: true });
  spawnSync('cp', ['-a', tree.root, root]);
  const dataDir = join(cacheDir, `data-watch-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  const child = spawn(process.execPath, [ctm, 'ingest'], {
    env: { ...process.env, ...env(root, dataDir) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('watching for changes')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`ctm ingest exited (${code}) before watching`)));
    });
    const files: string[] = [];
    for (const project of readdirSync(join(root, 'projects'))) {
      for (const f of readdirSync(join(root, 'projects', project)))
        if (f.endsWith('.jsonl')) files.push(join(root, 'projects', project, f));
    }
    const db = new Database(join(dataDir, 'ctm.db'), { readonly: true });
    const find = db.prepare('SELECT 1 FROM messages WHERE key = ?');
    const latencies: number[] = [];
    for (let i = 0; i < samples; i++) {
      const id = `msg_bench_${process.pid}_${i}`;
      const file = files[(i * 7919) % files.length]!;
      const line = assistantLine({ id, timestamp: new Date().toISOString(), output: 100 }) + '\n';
      appendFileSync(file, line);
      const written = performance.now();
      for (;;) {
        if (find.get(id)) break;
        if (performance.now() - written > 10_000) throw new Error(`watch: ${id} not indexed after 10 s`);
        await new Promise((r) => setTimeout(r, 1));
      }
      latencies.push(performance.now() - written);
      await new Promise((r) => setTimeout(r, 50 + ((i * 37) % 100)));
    }
    db.close();
    return latencies;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(root, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const loadAfter = loadavg();
rmSync(thousandData, { recursive: true, force: true });
rmSync(mainData, { recursive: true, force: true });

const mb = main.totals.bytes / 1e6;
const result = {
  measuredAt: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    node: process.version,
    loadavgBefore: loadBefore.map((n) => round(n, 2)),
    loadavgAfter: loadAfter.map((n) => round(n, 2)),
  },
  tree: {
    ...params,
    bytes: main.totals.bytes,
    files: main.totals.files,
    lines: main.totals.lines,
    usageLines: main.totals.usageLines,
    messages: rowCount,
    days: reportDays,
  },
  coldIngest: {
    wallSeconds: round(cold.seconds, 2),
    passSeconds: round(coldPassMs / 1000, 2),
    cpuSeconds: round(cold.cpuSeconds, 2),
    mbPerSecond: round(mb / cold.seconds, 0),
    peakRssMb: round(cold.peakRssMb, 0),
  },
  noChangePass1000Files: {
    files: thousand.totals.files,
    passMs: stats(noChange1000.passMs),
    cliWallMs: stats(noChange1000.cliMs.map((n) => round(n))),
  },
  noChangePassBigTree: { files: main.totals.files, passMs: stats(noChangeMain.passMs) },
  reportDailyJsonMs: stats(reportMs.map((n) => round(n))),
  /** CPU time of the same runs: what the latency would be without other work on the machine. */
  reportDailyJsonCpuMs: stats(reportCpuMs.map((n) => round(n))),
  heavyIndex: {
    messages: heavyRows,
    reportDailyJsonMs: stats(heavyReportMs.map((n) => round(n))),
    reportDailyJsonCpuMs: stats(heavyReportCpuMs.map((n) => round(n))),
  },
  watchLatencyMs: stats(watchLatency.map((n) => round(n))),
};

const targets = [
  [
    `cold ingest (${mb.toFixed(0)} MB)`,
    `${result.coldIngest.wallSeconds} s, ${result.coldIngest.mbPerSecond} MB/s`,
    '≤ 5 s / GB',
    cold.seconds <= (5 * mb) / 1000,
  ],
  ['  CPU time (both threads)', `${result.coldIngest.cpuSeconds} s`, '', true],
  ['  peak RSS', `${result.coldIngest.peakRssMb} MB`, '≤ 250 MB', cold.peakRssMb <= 250],
  [
    'no-change pass, 1,000 files',
    `${result.noChangePass1000Files.passMs.median} ms (p95 ${result.noChangePass1000Files.passMs.p95})`,
    '≤ 100 ms',
    result.noChangePass1000Files.passMs.p95 <= 100,
  ],
  ['  whole CLI process', `${round(result.noChangePass1000Files.cliWallMs.median, 0)} ms`, '', true],
  [`no-change pass, ${main.totals.files} files`, `${result.noChangePassBigTree.passMs.median} ms`, '', true],
  [
    `report daily --json (${reportDays} days)`,
    `${round(result.reportDailyJsonMs.median, 0)} ms (p95 ${round(result.reportDailyJsonMs.p95, 0)})`,
    '≤ 100 ms',
    result.reportDailyJsonMs.p95 <= 100,
  ],
  ['  CPU time of the process', `${round(result.reportDailyJsonCpuMs.median, 0)} ms`, '', true],
  [
    `report daily --json (${heavyRows} messages)`,
    `${round(result.heavyIndex.reportDailyJsonMs.median, 0)} ms (p95 ${round(result.heavyIndex.reportDailyJsonMs.p95, 0)})`,
    '≤ 100 ms',
    result.heavyIndex.reportDailyJsonMs.p95 <= 100,
  ],
  ['  CPU time of the process', `${round(result.heavyIndex.reportDailyJsonCpuMs.median, 0)} ms`, '', true],
  [
    'watch: line → SQLite',
    `${round(result.watchLatencyMs.median, 0)} ms (p95 ${round(result.watchLatencyMs.p95, 0)})`,
    '≤ 200 ms',
    result.watchLatencyMs.p95 <= 200,
  ],
] as const;
const rows = targets.map(([what, got, target, ok]) => [
  what,
  got,
  target,
  target ? (ok ? 'met' : 'MISSED') : '',
]);
const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
process.stdout.write(
  `\nTree: ${mb.toFixed(0)} MB, ${main.totals.files} files, ${main.totals.lines} lines, ${rowCount} messages over ${reportDays} days; ` +
    `${result.machine.cpus} × ${result.machine.cpuModel}, Node ${process.version}, load ${loadBefore.map((n) => n.toFixed(2)).join(' ')}\n\n` +
    rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n') +
    '\n',
);
mkdirSync(join(values.out, '..'), { recursive: true });
// Formatted as the repository's formatter would, so the committed results pass its check.
const { format } = await import('prettier');
writeFileSync(values.out + '.tmp', await format(JSON.stringify(result), { parser: 'json' }));
renameSync(values.out + '.tmp', values.out);
process.stdout.write(`\nwritten to ${values.out}\n`);
