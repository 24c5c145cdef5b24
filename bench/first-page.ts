// `npm run bench:first-page`: the first minute of a new user. A generated tree shaped like 300 real
// transcripts (~103 MB over a year), a fresh data dir, then `npm start` itself (npm, bin/ctm.js, the ingest
// worker, the first build) with GET / polled every 50 ms: the time to the listening line, the end of the
// first ingest pass, the ready line, and the first real page (200 with the overview, not the 503 "building"
// placeholder), from the moment npm is spawned. Several rounds; writes bench/results/first-page.json.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateTree, treeKey, type TreeOptions } from '../test/fixtures/generate-tree.ts';
import { freePort } from '../src/stack/free-port.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    bytes: { type: 'string', default: String(103e6) },
    cache: { type: 'string', default: process.env.CTM_BENCH_CACHE ?? join(tmpdir(), 'ctm-ingest-bench') },
    out: { type: 'string', default: join(repo, 'bench/results/first-page.json') },
  },
});

const shape: Omit<TreeOptions, 'root'> = {
  targetBytes: Number(values.bytes),
  days: 360,
  projects: 30,
  sessions: 300,
  seed: 15,
  endDate: '2026-08-07',
};
const claudeDir = join(values.cache, `tree-${treeKey(shape)}`);
if (!existsSync(join(claudeDir, 'projects'))) {
  mkdirSync(values.cache, { recursive: true });
  generateTree({ root: claudeDir, ...shape });
}

interface Round {
  listeningS: number;
  firstPassS: number;
  readyS: number;
  firstPageS: number;
  readyLine: string;
  /** The first build's own figures: its length, and when Astro's bundle was done, from the build's start. */
  build: { pages: number; durationS: number; astroDoneS: number };
}

async function round(): Promise<Round> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ctm-first-page-'));
  const port = await freePort();
  const started = performance.now();
  const seconds = () => Math.round(performance.now() - started) / 1000;
  const npm = process.env.npm_execpath
    ? [process.env.npm_node_execpath ?? 'node', process.env.npm_execpath]
    : ['npm'];
  const child = spawn(npm[0]!, [...npm.slice(1), 'start'], {
    cwd: repo,
    env: {
      ...process.env,
      CTM_CLAUDE_DIR: claudeDir,
      CTM_DATA_DIR: dataDir,
      CTM_PORT: String(port),
      CTM_TZ: 'UTC',
      CTM_REBUILD_CRON: 'off',
      CTM_SNAPSHOT_CRON: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: npm, ctm and the build it starts are stopped together.
    detached: true,
  });
  const marks: Partial<Round> = {};
  let output = '';
  const onLine = (line: string) => {
    output += line + '\n';
    let entry: { msg?: string; pages?: number; durationMs?: number; render?: { astroDoneMs: number } } = {};
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      // npm's own lines
    }
    const msg = entry.msg ?? '';
    if (msg === 'site published' && entry.render)
      marks.build ??= {
        pages: entry.pages ?? 0,
        durationS: (entry.durationMs ?? 0) / 1000,
        astroDoneS: entry.render.astroDoneMs / 1000,
      };
    if (msg === 'listening') marks.listeningS ??= seconds();
    if (msg === 'first ingest pass finished') marks.firstPassS ??= seconds();
    if (msg.startsWith('ready: ')) {
      marks.readyS ??= seconds();
      marks.readyLine = msg;
    }
  };
  let tail = '';
  child.stdout!.on('data', (d: Buffer) => {
    const lines = (tail + d.toString()).split('\n');
    tail = lines.pop()!;
    lines.forEach(onLine);
  });
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${output}`);
      if (seconds() > 120) throw new Error(`no page after 120 s:\n${output}`);
      const res = await fetch(`http://127.0.0.1:${port}/`).catch(() => null);
      if (res?.status === 200 && (await res.text()).includes('Overview')) {
        marks.firstPageS = seconds();
        break;
      }
      await res?.body?.cancel();
      await new Promise((r) => setTimeout(r, 50));
    }
    // The ready line follows the publish by a moment.
    for (let i = 0; i < 100 && marks.readyS === undefined; i++) await new Promise((r) => setTimeout(r, 20));
    return marks as Round;
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const rounds: Round[] = [];
const load = loadavg()[0]!;
for (let i = 0; i < Number(values.rounds); i++) {
  const r = await round();
  rounds.push(r);
  process.stdout.write(
    `round ${i + 1}: listening ${r.listeningS} s, first pass ${r.firstPassS} s, ready ${r.readyS} s, ` +
      `first page ${r.firstPageS} s (build of ${r.build.pages} pages ${r.build.durationS} s, ` +
      `Astro's bundle after ${r.build.astroDoneS} s)\n  ${r.readyLine}\n`,
  );
}
const result = {
  at: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
  loadAverageAtStart: load,
  tree: { ...shape, dir: claudeDir },
  rounds,
};
writeFileSync(values.out, JSON.stringify(result, null, 2) + '\n');
