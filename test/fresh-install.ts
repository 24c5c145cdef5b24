// A fresh clone's `npm install`, as on a new machine: the committed HEAD cloned to a temp dir, installed by the
// npm that runs this script with no user config and an empty cache. It must leave `git status` clean (the
// lockfile unchanged) and compile nothing: no build/ under better-sqlite3 (npm's implicit `node-gyp rebuild`
// makes one even when it compiles no code), and the addon that loads is the prebuilt one the package ships.
// Needs the npm registry; GitHub and nodejs.org are not used.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ctm-fresh-install-'));
const clone = join(work, 'clone');
const userconfig = join(work, 'empty-npmrc');
writeFileSync(userconfig, '');

// The npm of `npm run test:install` (npm_execpath, run by the Node that runs npm), else npm on PATH.
const npm: [string, string[]] = process.env.npm_execpath
  ? [process.env.npm_node_execpath ?? 'node', [process.env.npm_execpath]]
  : ['npm', []];

// A clean environment: none of the npm_config_* values npm hands its scripts (the user's nodedir, cache, …),
// and no node_modules/.bin of this checkout on PATH (it holds the Node 24 of the devDependencies).
const env: Record<string, string> = {};
for (const [key, value] of Object.entries(process.env)) {
  if (value === undefined || /^npm_/i.test(key) || key === 'INIT_CWD' || key === 'NODE') continue;
  env[key] = value;
}
env.PATH = (process.env.PATH ?? '')
  .split(delimiter)
  .filter((dir) => !resolve(dir).endsWith(join('node_modules', '.bin')))
  .join(delimiter);
Object.assign(env, {
  npm_config_userconfig: userconfig,
  npm_config_cache: join(work, 'npm-cache'),
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
});
// A registry set for this run (a mirror) is the one exception: the install has to reach one.
if (process.env.npm_config_registry) env.npm_config_registry = process.env.npm_config_registry;

const problems: string[] = [];
const started = performance.now();
execFileSync('git', ['clone', '--quiet', repoRoot, clone], { stdio: 'inherit' });
const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: clone, encoding: 'utf8' }).trim();
const version = execFileSync(npm[0], [...npm[1], '--version'], { env, encoding: 'utf8' }).trim();
process.stdout.write(
  `fresh-install: ${head} cloned; npm ${version} installs it (empty cache, no user config)\n`,
);
const install = spawnSync(npm[0], [...npm[1], 'install'], { cwd: clone, env, encoding: 'utf8' });
const seconds = (performance.now() - started) / 1000;
if (install.status !== 0) {
  problems.push(
    `npm install exited ${install.status}:\n${(install.stdout + install.stderr).trim().slice(-3000)}`,
  );
} else {
  const status = execFileSync('git', ['status', '--porcelain'], { cwd: clone, encoding: 'utf8' }).trim();
  if (status) {
    const diff = execFileSync('git', ['diff', '--stat'], { cwd: clone, encoding: 'utf8' }).trim();
    problems.push(`git status is not clean after npm install:\n${status}\n${diff}`);
  }
  const addonDir = join(clone, 'node_modules', 'better-sqlite3');
  if (existsSync(join(addonDir, 'build')))
    problems.push(`${join(addonDir, 'build')} exists: npm ran node-gyp for better-sqlite3`);
  // The addon a query loads, by the path Node loaded it from.
  const probe = spawnSync(
    join(clone, 'node_modules', '.bin', 'node'),
    [
      '-e',
      `const D = require('better-sqlite3'); new D(':memory:').prepare('select 1').get();
       process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((k) => k.endsWith('.node'))));`,
    ],
    { cwd: clone, encoding: 'utf8' },
  );
  const loaded = probe.status === 0 ? (JSON.parse(probe.stdout) as string[]) : [];
  if (probe.status !== 0) problems.push(`better-sqlite3 does not load: ${probe.stderr.trim()}`);
  else if (loaded.length !== 1 || !loaded[0]!.startsWith(join(addonDir, 'prebuilds') + '/'))
    problems.push(`better-sqlite3 loaded ${loaded.join(', ') || 'no addon'}, not one of its prebuilds/`);
  else
    process.stdout.write(`fresh-install: better-sqlite3 runs on ${loaded[0]!.slice(addonDir.length + 1)}\n`);
}

if (problems.length > 0) {
  process.stderr.write(`fresh-install: FAILED after ${seconds.toFixed(0)} s (kept ${work})\n`);
  for (const p of problems) process.stderr.write(`  ${p.replace(/\n/g, '\n    ')}\n`);
  process.exit(1);
}
rmSync(work, { recursive: true, force: true });
process.stdout.write(
  `fresh-install: ok in ${seconds.toFixed(0)} s: git status clean, nothing built from source\n`,
);
