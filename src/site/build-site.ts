// `ctm build`: runs `astro build` (same Node binary) into a fresh staging dir in the data dir, then publishes it
// atomically: staging → releases/<id>/{site,server}, `current` and `server-current` symlinks swapped by rename,
// old releases pruned. A failed build throws with the reason and leaves the last good site untouched. The one
// `astro build` prerenders on two cores with its prerender helper (split-prerender.ts).
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import {
  accessSync,
  closeSync,
  constants,
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
import { fileURLToPath } from 'node:url';
import { ConfigError, type Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { sitePaths } from './site-paths.ts';
import { swapSymlink } from './swap-symlink.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { HELPER_SUMMARY } from './split-prerender.ts';
import { relay } from './helper-relay.ts';

export interface BuildResult {
  id: string;
  releaseDir: string;
  durationMs: number;
  pages: number;
  startedAt: number;
  /** What the prerender helper rendered, when it ran (split-prerender.ts); times in ms from the build's start. */
  helper?: HelperFigures;
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

/** The prerender helper: forked at once, so it loads pages while Astro starts and compiles (split-prerender.ts). */
function forkHelper(env: NodeJS.ProcessEnv): ChildProcess | undefined {
  if (availableParallelism() < 2 || env.CTM_PRERENDER_HELPER === '0') return undefined;
  return fork(join(appRoot, 'src', 'site', 'prerender-helper.ts'), [], {
    cwd: appRoot,
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
}

function runAstro(env: NodeJS.ProcessEnv, log: Logger): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const helper = forkHelper(env);
    // Settled only once the helper is gone too, so nothing writes into staging after the build is over.
    const helperGone = new Promise<void>((resolve) =>
      helper ? helper.once('exit', () => resolve()) : resolve(),
    );
    const finish = (error?: Error) => {
      helper?.kill();
      void helperGone.then(() => (error ? reject(error) : resolvePromise()));
    };
    const child = spawn(process.execPath, [astroBin(), 'build', '--silent'], {
      cwd: appRoot,
      env: { ...env, CTM_PRERENDER_HELPER: helper ? '1' : '0' },
      stdio: ['ignore', 'pipe', 'pipe', ...(helper ? (['ipc'] as const) : [])],
      serialization: 'advanced',
    });
    if (helper) relay(child, helper);
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.on('error', (error) => finish(error));
    child.on('close', (code, signal) => {
      if (code === 0) return finish();
      const lines = tail
        .split('\n')
        .map((l) => l.trim())
        .filter(
          (l) => l && !/^(at |Location:|Stack trace:|Hint:|Error reference:|(\/|file:|https?:).*)/.test(l),
        );
      log.debug('astro build output', { tail });
      finish(
        new BuildError(`astro build failed (${signal ?? `exit ${code}`}): ${lines.slice(-3).join(' | ')}`),
      );
    });
  });
}

export interface HelperFigures {
  rendered: number;
  preloaded: number;
  startedMs: number;
  jobMs: number;
  finishedMs: number;
  /** When Astro had rendered its own share. */
  astroDoneMs: number;
}

function readHelperSummary(file: string, startedAt: number): HelperFigures | undefined {
  if (!existsSync(file)) return undefined;
  const s = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
  const at = (key: string) => (s[key] ?? startedAt) - startedAt;
  return {
    rendered: s.rendered ?? 0,
    preloaded: s.preloaded ?? 0,
    startedMs: at('startedAt'),
    jobMs: at('jobAt'),
    finishedMs: at('finishedAt'),
    astroDoneMs: at('astroDoneAt'),
  };
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

export async function buildSite(config: Config, log: Logger): Promise<BuildResult> {
  const startedAt = Date.now();
  const paths = sitePaths(config.dataDir);
  // A data dir the build cannot write (read-only media, another owner) is named before anything starts.
  try {
    for (const dir of [paths.root, paths.releases, paths.staging, paths.cache]) {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
    }
  } catch (error) {
    throw new ConfigError(
      'CTM_DATA_DIR',
      `data dir ${config.dataDir} is not writable (${(error as Error).message})`,
    );
  }
  const unlock = lock(paths.lock);
  const id = releaseId(startedAt);
  const staging = join(paths.staging, id);
  try {
    // Leftovers of builds that died half-way, and the caches of the per-core build processes of earlier versions.
    for (const old of readdirSync(paths.staging))
      rmSync(join(paths.staging, old), { recursive: true, force: true });
    for (const old of readdirSync(paths.cache).filter((name) => /^(astro|vite)-\d+$/.test(name)))
      rmSync(join(paths.cache, old), { recursive: true, force: true });
    linkNodeModules(paths.root);
    log.info('building site', { id });
    await runAstro(
      {
        ...process.env,
        CTM_DATA_DIR: config.dataDir,
        CTM_TZ: config.timezone,
        CTM_COST_MODE: config.costMode,
        CTM_ASTRO_OUT_DIR: staging,
        CTM_ASTRO_CACHE_DIR: join(paths.cache, 'astro'),
        CTM_VITE_CACHE_DIR: join(paths.cache, 'vite'),
        CTM_BUILD_SUMMARY: '1',
        ASTRO_TELEMETRY_DISABLED: '1',
      },
      log,
    );
    const client = join(staging, 'client');
    if (!existsSync(join(client, 'index.html')))
      throw new BuildError(`astro build produced no index.html in ${client}`);
    const pages = countPages(client);
    const helper = readHelperSummary(join(staging, HELPER_SUMMARY), startedAt);
    const releaseDir = join(paths.releases, id);
    mkdirSync(releaseDir);
    renameSync(client, join(releaseDir, 'site'));
    renameSync(join(staging, 'server'), join(releaseDir, 'server'));
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
    log.info('site published', { id, pages, durationMs, helper });
    return { id, releaseDir, durationMs, pages, startedAt, ...(helper && { helper }) };
  } finally {
    try {
      rmSync(staging, { recursive: true, force: true, maxRetries: 3 });
    } catch (error) {
      log.warn('could not remove the staging dir', { staging, error: (error as Error).message });
    } finally {
      unlock();
    }
  }
}
