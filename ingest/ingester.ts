// Wires the ingest stages for the CLI and the server: open settings, run passes, watch for changes.
// Watch mode reacts to file events within milliseconds (chokidar) and rescans everything periodically as a
// safety net for missed events (network filesystems, editors that rename).
import type { FSWatcher } from 'chokidar';
import { join } from 'node:path';
import type { Config } from '../src/config.ts';
import { ConfigError } from '../src/config.ts';
import type { Db } from '../src/db/open.ts';
import type { Logger } from '../src/log.ts';
import type { ReaderPool } from './parallel-reader.ts';
import { loadPricing } from '../src/pricing/load-pricing.ts';
import { checkAtStart } from '../src/db/check-index.ts';
import { hasProjectsDir } from './discover.ts';
import { createMessageStore } from './message-store.ts';
import { reconcileSettings, writeMeta } from './reconcile-settings.ts';
import { runPass, type PassProgress, type PassSummary } from './ingest-pass.ts';
import { indexStatsCache } from './stats-cache.ts';
import { createSubagentMetaIndex } from './subagent-meta.ts';
import type { ChangeSet } from '../src/db/change-set.ts';
import { buildFreshIndex } from '../src/db/fresh-index.ts';

const RUNS_KEPT = 10_000;
const MALFORMED_META = 'malformed_subagent_meta';

export interface Ingester {
  pass(paths?: ReadonlySet<string>, onProgress?: (progress: PassProgress) => void): PassSummary;
  /** Watches for changes; a pass that throws is logged and handed to onFailure, and watching goes on. */
  watch(
    onPass: (summary: PassSummary) => void,
    onFailure?: (error: Error) => void,
  ): Promise<() => Promise<void>>;
}

export function usableClaudeDirs(config: Pick<Config, 'claudeDirs' | 'claudeDirsSource'>): string[] {
  const dirs = config.claudeDirs.filter(hasProjectsDir);
  if (dirs.length === 0) {
    const setting = config.claudeDirsSource === 'default' ? 'CTM_CLAUDE_DIR' : config.claudeDirsSource;
    throw new ConfigError(
      setting,
      `no Claude Code data found at ${config.claudeDirs.join(', ')} (no projects/ folder); set CTM_CLAUDE_DIR`,
    );
  }
  return dirs;
}

/**
 * The first pass for a path with no index yet: into an index built apart and put in place whole
 * (fresh-index.ts). Returns the pass and its commits' changes, to be told of once the index is in place; or
 * undefined when another writer's index came first (this run's file is dropped, and a pass into that index
 * reads what it lacks).
 */
export function firstPassApart(
  config: Parameters<typeof createIngester>[1] & Pick<Config, 'dbPath'>,
  log: Logger,
  readers: ReaderPool,
  onProgress?: (progress: PassProgress) => void,
): { summary: PassSummary; changes: ChangeSet[] } | undefined {
  const changes: ChangeSet[] = [];
  const built = buildFreshIndex(config.dbPath, (fresh) =>
    createIngester(fresh, config, log, (c) => changes.push(c), readers).pass(undefined, onProgress),
  );
  return built.placed ? { summary: built.result, changes } : undefined;
}

export function createIngester(
  db: Db,
  config: Pick<Config, 'claudeDirs' | 'claudeDirsSource' | 'timezone' | 'pricingFile' | 'rescanSeconds'>,
  log: Logger,
  onCommit?: (changes: ChangeSet) => void,
  /** Reader threads started early for a cold first pass; used by the first pass, or stopped after it. */
  readers?: ReaderPool,
): Ingester {
  // The index is checked before it is written to: a damaged one stops here, a rollup out of step is rebuilt.
  checkAtStart(db, db.name, log);
  const pricing = loadPricing(config.pricingFile);
  const reconciled = reconcileSettings(db, { timezone: config.timezone, pricing });
  if (reconciled.retimed > 0 || reconciled.repriced > 0)
    log.info('settings changed: stored rows updated', reconciled);
  const store = createMessageStore(db, { timezone: config.timezone, pricing });

  const warnedStatsCache = new Set<string>();
  // Recurring skips already warned of: each is told once, not on every rescan that meets it again. A full
  // pass keeps only those it met, so a cause that went away and came back is told again.
  let warnedSkips = new Set<string>();
  const subagentMeta = createSubagentMetaIndex(db);
  const pass = (paths?: ReadonlySet<string>, onProgress?: (progress: PassProgress) => void): PassSummary => {
    const summary = runPass({
      claudeDirs: config.claudeDirs,
      store,
      ...(paths ? { paths } : {}),
      ...(onProgress ? { onProgress } : {}),
      ...(onCommit ? { onCommit } : {}),
      ...(readers ? { readers } : {}),
    });
    readers?.close();
    readers = undefined;
    if (!paths) {
      for (const dir of summary.usableDirs) {
        // Noted once per dir, not on every rescan; the previous index of it stays.
        if (indexStatsCache(db, dir) === 'malformed' && !warnedStatsCache.has(dir)) {
          warnedStatsCache.add(dir);
          log.warn('stats-cache.json is malformed; not indexed', { dir });
        }
      }
    }
    // Beside the transcripts of this pass (all of them on a full pass); a meta file is read only when changed.
    for (const path of subagentMeta.index(paths).malformed) {
      summary.skipped[MALFORMED_META] = (summary.skipped[MALFORMED_META] ?? 0) + 1;
      if (summary.skippedExamples.length < 5) summary.skippedExamples.push(`${path} (${MALFORMED_META})`);
    }
    writeMeta(db, 'last_ingest_at', String(summary.finishedAt));
    if (summary.filesRead > 0 || Object.keys(summary.skipped).length > 0) recordRun(summary);
    const fresh = summary.recurringSkips.filter((skip) => !warnedSkips.has(skip));
    const total = Object.values(summary.skipped).reduce((a, b) => a + b, 0);
    summary.newSkips = total - (summary.recurringSkips.length - fresh.length);
    if (summary.newSkips > 0) {
      log.warn('skipped input', {
        skipped: summary.skipped,
        first: summary.skippedExamples.filter((example) => !warnedSkips.has(example)),
      });
    }
    if (paths) for (const skip of fresh) warnedSkips.add(skip);
    else warnedSkips = new Set(summary.recurringSkips);
    return summary;
  };

  // The run log keeps passes that read or skipped something, and only the most recent ones.
  const recordRun = (summary: PassSummary): void => {
    db.prepare(
      `INSERT INTO ingest_runs (started_at, finished_at, files_scanned, files_read, bytes_read, lines, usage_lines,
         new_messages, replaced_messages, skipped_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      summary.startedAt,
      summary.finishedAt,
      summary.filesScanned,
      summary.filesRead,
      summary.bytesRead,
      summary.lines,
      summary.usageLines,
      summary.newMessages,
      summary.replacedMessages,
      JSON.stringify(summary.skipped),
    );
    db.prepare('DELETE FROM ingest_runs WHERE id <= (SELECT max(id) FROM ingest_runs) - ?').run(RUNS_KEPT);
  };

  const watchFiles = async (
    onPass: (summary: PassSummary) => void,
    onFailure?: (error: Error) => void,
  ): Promise<() => Promise<void>> => {
    const dirs = usableClaudeDirs(config);
    let pending = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    const flush = (): void => {
      timer = undefined;
      const paths = pending;
      pending = new Set();
      try {
        onPass(pass(paths));
      } catch (error) {
        log.error('ingest pass failed', { error: (error as Error).message });
        onFailure?.(error as Error);
      }
    };
    const queue = (path: string): void => {
      if (!path.endsWith('.jsonl')) return;
      pending.add(path);
      timer ??= setTimeout(flush, 10);
    };
    // Loaded only to watch: 11 of the 32 ms of modules a one-shot `ctm ingest --once` loaded before.
    const { watch } = await import('chokidar');
    const watcher: FSWatcher = watch(
      dirs.map((d) => join(d, 'projects')),
      { ignoreInitial: true, persistent: true, followSymlinks: true },
    );
    watcher
      .on('add', queue)
      .on('change', queue)
      .on('error', (error) => log.warn('watch error', { error: String(error) }));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    const rescan = setInterval(() => {
      try {
        onPass(pass());
      } catch (error) {
        log.error('ingest rescan failed', { error: (error as Error).message });
        onFailure?.(error as Error);
      }
    }, config.rescanSeconds * 1000);
    return async () => {
      clearInterval(rescan);
      if (timer) clearTimeout(timer);
      await watcher.close();
    };
  };

  return { pass, watch: watchFiles };
}
