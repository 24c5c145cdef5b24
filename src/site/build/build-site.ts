// `ctm build`: `astro build` (same Node binary) compiles the server bundle and the assets into a fresh staging
// dir in the data dir while one render process per core loads its pages' data; then they render every page of
// the registry through the bundle into the staging release (build/page-workers.ts), which is published
// atomically: staging → releases/<id>/{site,server}, `current` and `server-current` symlinks swapped by
// rename, old releases pruned. A failed build throws with the reason and leaves the last good site untouched.
import { spawn } from 'node:child_process';
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
import { ConfigError, type Config } from '../../config.ts';
import type { Logger } from '../../log.ts';
import { sitePaths } from '../site-paths.ts';
import { swapSymlink } from '../swap-symlink.ts';
import { writeFileAtomic } from '../atomic-write.ts';
import { allPages, siteKeys, type Page } from '../pages.ts';
import { openSiteContext, type SiteContext } from '../site-context.ts';
import { startPageWorkers, type WorkerFigures } from './page-workers.ts';

export interface BuildResult {
  id: string;
  releaseDir: string;
  durationMs: number;
  pages: number;
  startedAt: number;
  /** When Astro's bundle was built, and each render process's figures; times in ms from the build's start. */
  render: RenderFigures;
}

export interface RenderFigures {
  astroDoneMs: number;
  processes: (Omit<WorkerFigures, 'startedAt' | 'loadedAt' | 'renderAt' | 'finishedAt'> & {
    startedMs: number;
    loadedMs: number;
    renderMs: number;
    finishedMs: number;
  })[];
}

export class BuildError extends Error {
  override name = 'BuildError';
}

const appRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const KEEP_RELEASES = 3;
const RENDER_PROGRESS_EVERY_MS = 1000;

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
        .filter(
          (l) => l && !/^(at |Location:|Stack trace:|Hint:|Error reference:|(\/|file:|https?:).*)/.test(l),
        );
      log.debug('astro build output', { tail });
      reject(
        new BuildError(`astro build failed (${signal ?? `exit ${code}`}): ${lines.slice(-3).join(' | ')}`),
      );
    });
  });
}

/** Every page of the registry the index has. */
function pageList(config: Config): Page[] {
  let ctx: SiteContext;
  try {
    ctx = openSiteContext(config, false);
  } catch (error) {
    throw new BuildError(`cannot read the index: ${(error as Error).message}`);
  }
  try {
    // Read once: through SQLite's page cache, not the memory map (whose pages would count in this RSS).
    ctx.db.pragma('mmap_size = 0');
    return allPages(siteKeys(ctx));
  } finally {
    ctx.db.close();
  }
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

/** The build's progress while it renders: one line with the number of pages as it starts, then the pages
 * written so far at most once a second. */
export function renderProgress(log: Logger, pages: number, now = Date.now) {
  log.info('rendering pages', { pages });
  let last = now();
  return (written: number): void => {
    if (now() - last < RENDER_PROGRESS_EVERY_MS) return;
    last = now();
    const percent = pages > 0 ? Math.min(100, Math.floor((written / pages) * 100)) : 100;
    log.info('rendering pages', { percent, written, pages });
  };
}

export interface BuildOptions {
  /** Compile at once, but read the index only once this resolves. */
  dataReady?: Promise<void>;
}

export async function buildSite(
  config: Config,
  log: Logger,
  options: BuildOptions = {},
): Promise<BuildResult> {
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
    const astroEnv = {
      ...process.env,
      CTM_ASTRO_OUT_DIR: staging,
      CTM_ASTRO_CACHE_DIR: join(paths.cache, 'astro'),
      CTM_VITE_CACHE_DIR: join(paths.cache, 'vite'),
      ASTRO_TELEMETRY_DISABLED: '1',
    };
    let astroDoneAt = 0;
    const compile = () => runAstro(astroEnv, log).then(() => void (astroDoneAt = Date.now()));
    // Started before the index is filled (ctm start's first run), the build compiles while the first pass reads;
    // its render processes, whose snapshots must hold that pass, are forked only once the data is ready.
    let compiled: Promise<void> | undefined;
    if (options.dataReady) {
      compiled = compile();
      compiled.catch(() => undefined); // awaited below; a failure while waiting ends the wait
      await Promise.race([options.dataReady, compiled.then(() => options.dataReady)]);
    }
    // Forked first: the processes start, open their snapshots and load while the page list is read and Astro
    // compiles.
    const workers = startPageWorkers(availableParallelism(), config);
    let pageCount = 0;
    try {
      const list = pageList(config);
      pageCount = list.length;
      workers.assign(list);
      await (compiled ?? compile());
    } catch (error) {
      await workers.stop();
      throw error;
    }
    const figures = await workers.render(
      join(staging, 'server', 'entry.mjs'),
      join(staging, 'client'),
      renderProgress(log, pageCount),
    );
    const client = join(staging, 'client');
    if (!existsSync(join(client, 'index.html')))
      throw new BuildError(`the build rendered no index.html into ${client}`);
    const pages = countPages(client);
    const at = (ms: number) => ms - startedAt;
    const render: RenderFigures = {
      astroDoneMs: at(astroDoneAt),
      processes: figures.map(({ startedAt: s, loadedAt, renderAt, finishedAt, ...counts }) => ({
        ...counts,
        startedMs: at(s),
        loadedMs: at(loadedAt),
        renderMs: at(renderAt),
        finishedMs: at(finishedAt),
      })),
    };
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
    log.info('site published', { id, pages, durationMs, render });
    return { id, releaseDir, durationMs, pages, startedAt, render };
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
