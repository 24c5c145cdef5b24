// `ctm build`: runs `astro build` (same Node binary) into a fresh staging dir in the data dir, then publishes it
// atomically: staging → releases/<id>/{site,server}, `current` and `server-current` symlinks swapped by rename,
// old releases pruned. A failed build throws with the reason and leaves the last good site untouched. Large
// sites are prerendered by one build process per core (see build-shard.ts) and merged before publishing.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { sitePaths } from './site-paths.ts';
import { swapSymlink } from './swap-symlink.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { SHARDED_DIRS, singletonFiles, type Shard } from './build-shard.ts';
import { openDb } from '../db/open.ts';

export interface BuildResult {
  id: string;
  releaseDir: string;
  durationMs: number;
  pages: number;
  startedAt: number;
}

export class BuildError extends Error {
  override name = 'BuildError';
}

const appRoot = fileURLToPath(new URL('../../', import.meta.url));
export const KEEP_RELEASES = 3;

function astroBin(): string {
  const require = createRequire(join(appRoot, 'package.json'));
  return join(dirname(require.resolve('astro/package.json')), 'bin', 'astro.mjs');
}

function releaseId(now: number): string {
  return (
    new Date(now)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z') +
    '-' +
    process.pid
  );
}

function countPages(dir: string): number {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.html')) n++;
  }
  return n;
}

function runAstro(env: NodeJS.ProcessEnv, log: Logger): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [astroBin(), 'build', '--silent'], {
      cwd: appRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) return resolvePromise();
      const lines = tail
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('at '));
      log.debug('astro build output', { tail });
      reject(
        new BuildError(`astro build failed (${signal ?? `exit ${code}`}): ${lines.slice(-3).join(' | ')}`),
      );
    });
  });
}

/** Takes the build lock (one build at a time per data dir); a lock left by a dead process is taken over. */
function lock(path: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = readPid(path);
      if (pid && pid !== process.pid && isAlive(pid))
        throw new BuildError(`another build is running (pid ${pid})`);
      rmSync(path, { force: true });
    }
  }
  throw new BuildError(`cannot take the build lock ${path}`);
}

function readPid(path: string): number {
  try {
    return Number(readFileSync(path, 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Lets the bundled server code resolve its packages from inside the data dir (staging and releases). */
function linkNodeModules(root: string): void {
  const target = resolve(appRoot, 'node_modules');
  const link = join(root, 'node_modules');
  let current: string | undefined;
  try {
    current = readlinkSync(link);
  } catch {
    current = undefined;
  }
  if (current !== target) swapSymlink(target, link);
}

function pruneReleases(releases: string, keep: number, inUse: Set<string>): void {
  const ids = readdirSync(releases).sort();
  for (const id of ids.slice(0, Math.max(0, ids.length - keep))) {
    if (!inUse.has(id)) rmSync(join(releases, id), { recursive: true, force: true });
  }
}

function linkTargetId(link: string): string | undefined {
  try {
    return basename(dirname(readlinkSync(link)));
  } catch {
    return undefined;
  }
}

/** Sessions above which the prerendering is split across processes (below it, one process is faster). */
export const SHARD_THRESHOLD = 800;

export function shardCount(dbPath: string): number {
  const cores = Math.min(4, availableParallelism());
  if (cores < 2) return 1;
  try {
    const db = openDb(dbPath, { readonly: true });
    try {
      // Counting stops at the threshold: a full distinct count of a big index took 110-160 ms before any
      // build process could start.
      const sessions = db
        .prepare('SELECT count(*) FROM (SELECT DISTINCT session_id FROM usage LIMIT ?)')
        .pluck()
        .get(SHARD_THRESHOLD) as number;
      return sessions >= SHARD_THRESHOLD ? cores : 1;
    } finally {
      db.close();
    }
  } catch {
    return 1; // the build itself reports what is wrong with the index
  }
}

/** Moves the pages a secondary shard rendered into the primary shard's output: its dynamic-route pages, and its
 * singleton pages over the primary's empty placeholders. */
export function mergeShard(primary: string, secondary: string, shard: Shard): void {
  const assets = (dir: string) => readdirSync(join(dir, '_astro')).sort().join(',');
  if (assets(primary) !== assets(secondary)) {
    throw new BuildError('build shards produced different client assets; refusing to merge');
  }
  for (const sub of SHARDED_DIRS) {
    const from = join(secondary, sub);
    if (!existsSync(from)) continue;
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      if (!entry.isDirectory() || (sub === 'sessions' && entry.name === 'months')) continue;
      const target = join(primary, sub, entry.name);
      if (existsSync(target)) throw new BuildError(`build shards both rendered ${sub}/${entry.name}`);
      mkdirSync(join(primary, sub), { recursive: true });
      renameSync(join(from, entry.name), target);
    }
  }
  for (const file of singletonFiles(shard)) {
    const from = join(secondary, file);
    if (!existsSync(from)) throw new BuildError(`build shard ${shard.index} produced no ${file}`);
    renameSync(from, join(primary, file));
  }
}

export async function buildSite(config: Config, log: Logger): Promise<BuildResult> {
  const startedAt = Date.now();
  const paths = sitePaths(config.dataDir);
  for (const dir of [paths.root, paths.releases, paths.staging, paths.cache])
    mkdirSync(dir, { recursive: true });
  const unlock = lock(paths.lock);
  const id = releaseId(startedAt);
  const staging = join(paths.staging, id);
  try {
    // Leftovers of builds that died half-way.
    for (const old of readdirSync(paths.staging))
      rmSync(join(paths.staging, old), { recursive: true, force: true });
    linkNodeModules(paths.root);
    const shards = shardCount(config.dbPath);
    log.info('building site', { id, processes: shards });
    const outDir = (i: number) => (shards === 1 ? staging : join(staging, `shard-${i}`));
    // Wait for every process, so none is still writing when a failure cleans the staging dir up.
    const settled = await Promise.allSettled(
      Array.from({ length: shards }, (_, i) =>
        runAstro(
          {
            ...process.env,
            CTM_DATA_DIR: config.dataDir,
            CTM_TZ: config.timezone,
            CTM_COST_MODE: config.costMode,
            CTM_ASTRO_OUT_DIR: outDir(i),
            CTM_ASTRO_CACHE_DIR: join(paths.cache, `astro-${i}`),
            CTM_VITE_CACHE_DIR: join(paths.cache, `vite-${i}`),
            CTM_BUILD_SHARD: shards === 1 ? '' : `${i}/${shards}`,
            ASTRO_TELEMETRY_DISABLED: '1',
          },
          log,
        ),
      ),
    );
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const client = join(outDir(0), 'client');
    if (!existsSync(join(client, 'index.html')))
      throw new BuildError(`astro build produced no index.html in ${client}`);
    for (let i = 1; i < shards; i++)
      mergeShard(client, join(outDir(i), 'client'), { index: i, count: shards });
    const pages = countPages(client);
    const releaseDir = join(paths.releases, id);
    mkdirSync(releaseDir);
    renameSync(client, join(releaseDir, 'site'));
    renameSync(join(outDir(0), 'server'), join(releaseDir, 'server'));
    swapSymlink(join(releaseDir, 'site'), paths.current);
    swapSymlink(join(releaseDir, 'server'), paths.serverCurrent);
    const durationMs = Date.now() - startedAt;
    writeFileAtomic(
      paths.buildJson,
      JSON.stringify({ id, startedAt, finishedAt: Date.now(), durationMs, pages }, null, 2) + '\n',
    );
    pruneReleases(
      paths.releases,
      KEEP_RELEASES,
      new Set(
        [linkTargetId(paths.current), linkTargetId(paths.serverCurrent)].filter((x) => x !== undefined),
      ),
    );
    log.info('site published', { id, pages, durationMs });
    return { id, releaseDir, durationMs, pages, startedAt };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    unlock();
  }
}
