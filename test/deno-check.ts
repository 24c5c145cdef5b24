// Runs the CLI under Node and under Deno against the same fixture Claude dir (each with its own index) and
// checks that the JSON reports are byte-identical; then that `deno task build` publishes the site and `deno task
// start` serves it with the live routes. Deno is the `deno` devDependency; better-sqlite3 is the same Node-API
// addon from node_modules for both.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureTree, tempDir } from './fixtures/fixture-tree.ts';
import { assistantLine } from './fixtures/fixture-lines.ts';
import { freePort } from '../src/stack/free-port.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
// Under `deno task test` this script itself runs on Deno: the Node side is then the `node` devDependency.
const node = 'Deno' in globalThis ? join(repoRoot, 'node_modules', '.bin', 'node') : process.execPath;
const deno = join(repoRoot, 'node_modules', '.bin', process.platform === 'win32' ? 'deno.cmd' : 'deno');
if (!existsSync(deno)) {
  process.stderr.write(`deno-check: ${deno} is missing; run npm install (deno is a devDependency)\n`);
  process.exit(2);
}

const root = tempDir('ctm-deno-check-');
const tree = fixtureTree(root);
const models = ['claude-sonnet-4-5-20250929', 'claude-opus-4-1-20250805', 'claude-haiku-4-5-20251001'];
for (let p = 0; p < 3; p++) {
  for (let s = 0; s < 4; s++) {
    const sessionId = `session-${p}-${s}`;
    const lines: string[] = [];
    for (let i = 0; i < 25; i++) {
      const ts = Date.UTC(2026, 9, 1 + ((p * 7 + s * 3 + i) % 28), (i * 5) % 24, i);
      lines.push(
        assistantLine({
          id: `msg_${p}_${s}_${i}`,
          timestamp: new Date(ts).toISOString(),
          model: models[(p + i) % models.length]!,
          sessionId,
          cwd: `/home/me/project-${p}`,
          input: 100 + i * 7,
          output: 40 + i * 3,
          cacheWrite: i % 3 === 0 ? 2_000 + i : 0,
          cacheRead: 10_000 + i * 11,
          isSidechain: i % 10 === 9,
        }),
      );
    }
    lines.push('{"not json');
    tree.write(`-home-me-project-${p}/${sessionId}.jsonl`, lines);
  }
}

const env = (dataDir: string) => ({
  ...process.env,
  CTM_CLAUDE_DIR: tree.claudeDir,
  CTM_DATA_DIR: join(root, dataDir),
  CTM_TZ: 'Europe/Berlin',
  NO_COLOR: '1',
});
const runtimes = {
  node: (args: string[]) =>
    execFileSync(node, [join(repoRoot, 'bin', 'ctm.js'), ...args], {
      cwd: repoRoot,
      env: env('node'),
      encoding: 'utf8',
    }),
  deno: (args: string[]) =>
    execFileSync(deno, ['task', '--quiet', 'ctm', ...args], {
      cwd: repoRoot,
      env: env('deno'),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
};

const reports = [
  ['report', 'daily', '--json'],
  ['report', 'daily', '--json', '--breakdown', '--timezone', 'UTC'],
  ['report', 'monthly', '--json'],
  ['report', 'weekly', '--json'],
  ['report', 'session', '--json'],
  ['report', 'blocks', '--json', '--token-limit', 'max'],
];

let passed = 0;
let failed = 0;
const check = (label: string, ok: boolean, detail: string) => {
  if (ok) passed++;
  else failed++;
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${label}${ok ? '' : `: ${detail}`}\n`);
};

/** `deno task start` on a free port until /api/v1/health answers; the overview, /live/ and the API through it. */
async function serveUnderDeno(): Promise<void> {
  const port = await freePort();
  const child = spawn(deno, ['task', '--quiet', 'start'], {
    cwd: repoRoot,
    env: { ...env('deno'), CTM_PORT: String(port), CTM_REBUILD_CRON: 'off', CTM_SNAPSHOT_CRON: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  child.stdout.on('data', (b: Buffer) => (log += b));
  child.stderr.on('data', (b: Buffer) => (log += b));
  const base = `http://127.0.0.1:${port}`;
  try {
    let health: { status?: string; db?: { messages?: number } } | undefined;
    for (const until = Date.now() + 30_000; Date.now() < until && !health;) {
      await new Promise((r) => setTimeout(r, 200));
      health = await fetch(`${base}/api/v1/health`)
        .then((r) => (r.ok ? r.json() : undefined))
        .catch(() => undefined);
    }
    check(
      'deno task start: /api/v1/health',
      health?.status === 'ok' && health.db?.messages === 300,
      log.slice(-800),
    );
    const overview = await fetch(`${base}/`).then(async (r) => [r.status, await r.text()] as const);
    check(
      'deno task start: the overview',
      overview[0] === 200 && overview[1].includes('</html>'),
      `${overview[0]}`,
    );
    const live = await fetch(`${base}/live/`).then((r) => r.status);
    check('deno task start: /live/', live === 200, `${live}`);
    const usage = await fetch(`${base}/api/v1/usage`).then((r) => r.status);
    check('deno task start: /api/v1/usage', usage === 200, `${usage}`);
    check('deno task start: a ready line', /ready: http:\/\/127\.0\.0\.1:\d+\//.test(log), log.slice(-800));
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

try {
  for (const [name, run] of Object.entries(runtimes)) {
    const summary = run(['ingest', '--once']);
    if (!/\b300 new messages\b/.test(summary))
      throw new Error(`${name} ingest: unexpected summary: ${summary}`);
  }
  for (const args of reports) {
    const fromNode = runtimes.node(args);
    const fromDeno = runtimes.deno(args);
    const label = `ctm ${args.join(' ')}`;
    if (fromNode === fromDeno && fromNode.trim().startsWith('{') && fromNode.length > 100) {
      passed++;
      process.stdout.write(`ok   ${label} (${fromNode.length} bytes, identical)\n`);
    } else {
      failed++;
      const at = [...fromNode].findIndex((ch, i) => fromDeno[i] !== ch);
      process.stdout.write(
        `FAIL ${label}: differs at byte ${at}\n  node: ${fromNode.slice(Math.max(0, at - 60), at + 60)}\n` +
          `  deno: ${fromDeno.slice(Math.max(0, at - 60), at + 60)}\n`,
      );
    }
  }
  // The site: `ctm build` under Deno publishes every page kind, then `ctm start` under Deno serves it.
  const built = runtimes.deno(['build']);
  const current = join(root, 'deno', 'site', 'current');
  const index = existsSync(join(current, 'index.html'))
    ? readFileSync(join(current, 'index.html'), 'utf8')
    : '';
  check('deno task build', /built \d+ pages/.test(built) && index.includes('</html>'), built.slice(-400));
  await serveUnderDeno();
} finally {
  tree.remove();
}
process.stdout.write(`deno-check: ${passed} passed, ${failed} failed\n`);
process.exitCode = failed === 0 ? 0 : 1;
