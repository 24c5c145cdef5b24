// `ctm start` wired in one place: the runtime (shared state), the ingest and page-refresh worker threads, the
// scheduled site jobs in child processes and the HTTP host. The main thread does only cheap work per commit
// (re-read the changed days' totals, push one SSE event), so requests stay fast during ingest and rendering.
import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config } from '../config.ts';
import { childEnv } from '../config-channel.ts';
import { ensureDataDir, openDb } from '../db/open.ts';
import { hasProjectsDir } from '../../ingest/discover.ts';
import type { Logger } from '../log.ts';
import { ChangeSet } from '../db/change-set.ts';
import { BUILD_RETRY_DELAYS_MS, createBuildRetry } from './build-retry.ts';
import { checkStartSettings } from './check-settings.ts';
import { healthReport, lastIngestAt } from './health-report.ts';
import { createHttpHost, type NodeHandler } from './http-host.ts';
import { createJobRunner } from './job-runner.ts';
import { liveBody } from './api-responses.ts';
import { todayTotals } from './live-snapshot.ts';
import { officialLimits } from './official-limits.ts';
import { createRuntime, installRuntime, uninstallRuntime, type Runtime } from './runtime.ts';
import { startScheduler } from './scheduler.ts';
import { sseEvent } from './sse-stream.ts';
import { listenStatuslineSocket } from './statusline-socket.ts';
import { superviseWorker, type SupervisedWorker } from './supervised-worker.ts';
import { createProgressReport } from '../progress-report.ts';
import { serverEntry } from '../site/site-paths.ts';
import { readyLine } from '../ready-line.ts';
import { usageSpan } from '../db/queries/usage-span.ts';
import { startTeamServices, type TeamServices } from './team-services.ts';
import type { FromRefreshWorker, FromWorker, ToRefreshWorker, ToWorker } from './worker-messages.ts';

const STOP_WORKER_MS = 7000;
// The refresh worker holds a copy of the site's SSR bundle and grows while rendering: it is stopped after
// this long without commits and started again by the next one.
const REFRESH_IDLE_MS = 120_000;
// Rendering a year of report pages allocates fast; a cap makes V8 collect instead of growing the heap.
const REFRESH_HEAP_MB = 160;

export interface RunningServer {
  rt: Runtime;
  server: Server;
  url: string;
  /** Resolves when the first ingest pass has finished. */
  firstPass: Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Waits before each retry of a failed build; the last one repeats. */
  buildRetryDelaysMs?: readonly number[];
}

export async function startServer(
  config: Config,
  log: Logger,
  options: StartOptions = {},
): Promise<RunningServer> {
  await checkStartSettings(config);
  // The index is made (or an older ctm's migrated) before anything reads it, except on a first run with
  // transcripts to read and no hub writing beside it: then the ingest worker builds it whole and puts it in
  // place (fresh-index.ts), and until then the server has no index, as during any first pass.
  const freshFirstRun =
    !existsSync(config.dbPath) &&
    config.ingestTokensFile === undefined &&
    config.claudeDirs.some(hasProjectsDir);
  if (freshFirstRun) ensureDataDir(config.dbPath);
  else openDb(config.dbPath).close();
  const rt = installRuntime(createRuntime(config, log));
  const siteDir = join(config.dataDir, 'site', 'current');
  const entry = serverEntry(config.dataDir);

  const publishedAt = (): number | null => {
    try {
      const record = JSON.parse(readFileSync(join(config.dataDir, 'site', 'build.json'), 'utf8')) as {
        finishedAt?: number;
      };
      if (typeof record.finishedAt === 'number') return record.finishedAt;
    } catch {
      // no build record: fall back to when `current` was published
    }
    try {
      return lstatSync(siteDir).mtimeMs;
    } catch {
      return null;
    }
  };
  rt.status.lastBuildAt = publishedAt();
  if (rt.status.lastBuildAt !== null) rt.metrics.lastBuildTimestamp.set(rt.status.lastBuildAt / 1000);
  rt.metrics.setSources({
    ingestLagSeconds: () => {
      const at = lastIngestAt(rt);
      return at === null ? null : Math.max(0, (Date.now() - at) / 1000);
    },
    healthy: () => healthReport(rt).status === 'ok',
    burnRateTokensPerMinute: () => {
      const body = liveBody(rt);
      const live = body
        ? (JSON.parse(body) as { activeBlock: { burnRate: { tokensPerMinute: number } | null } | null })
        : null;
      return live?.activeBlock?.burnRate?.tokensPerMinute ?? 0;
    },
    rateLimits: () =>
      (officialLimits(rt.limits(), Date.now())?.windows ?? [])
        .filter((w) => w.current)
        .map((w) => ({ window: w.window, ratio: w.usedPercentage / 100 })),
  });
  const reader = rt.reader();
  if (reader) {
    rt.metrics.refreshTotals(reader, config.costMode);
    reader.pragma('shrink_memory'); // a full scan: hand its page cache back
  }

  // The SSR bundle (for /live/) is imported on the first request that needs it, so an idle server does not
  // carry it. The request that loads it renders /live/, which imports every chunk the page needs while its
  // release is still there (older releases are pruned by later builds).
  let ssr: NodeHandler | null = null;
  let loading: Promise<void> | null = null;
  const loadSsr = (): Promise<void> =>
    (loading ??= (async () => {
      try {
        // By its real path: Deno keeps a symlinked path in import.meta.url, and the bundle locates its
        // sibling directories from there.
        const mod = (await import(pathToFileURL(realpathSync(entry)).href)) as { handler: NodeHandler };
        ssr = mod.handler;
        log.info('on-demand routes loaded', { entry });
      } catch (error) {
        loading = null;
        log.error('cannot load the SSR bundle', { entry, error: (error as Error).message });
      }
    })());
  const getSsr = async (): Promise<NodeHandler | null> => {
    if (!ssr && existsSync(entry)) await loadSsr();
    return ssr;
  };

  const server = createHttpHost({ rt, ssr: getSsr });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    rt.close();
    uninstallRuntime();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log.info('listening', { url });
  // Status lines through the running server (bin/ctm-statusline); without it they are made by their own process.
  const statuslineSocket = await listenStatuslineSocket(rt, log).catch((error: Error) => {
    log.warn('no status-line socket', { error: error.message });
    return null;
  });

  // Changes the page refresher has not seen: everything committed since a build started, until a refresh
  // worker with the new site's bundle has been told (the build may have read the database before them).
  let catchUp: ChangeSet | null = null;
  let stopping = false;
  // The hub and the push thread, when configured (started below, once onCommit exists).
  let team: TeamServices | null = null;
  let refresher: SupervisedWorker<ToRefreshWorker> | null = null;
  const announceSite = (): void => {
    if (!existsSync(siteDir) || stopping) return;
    refresher ??= superviseWorker<ToRefreshWorker, FromRefreshWorker>({
      name: 'page refresh',
      file: new URL('./refresh-worker.ts', import.meta.url),
      env: childEnv(config, process.env),
      workerData: { logJson: !process.stdout.isTTY },
      log,
      graceMs: STOP_WORKER_MS,
      idleMs: REFRESH_IDLE_MS,
      maxOldGenerationSizeMb: REFRESH_HEAP_MB,
      // A process of its own: rendering a year's listings takes a few hundred MB, all returned when it stops.
      process: true,
      onMessage: (m) => {
        if (m.type === 'refreshed') log.debug('pages refreshed', { pages: m.pages, ms: Math.round(m.ms) });
      },
      onSpawn: (post) => {
        post({ type: 'site-ready', serverEntry: entry });
        if (catchUp && catchUp.size > 0) post({ type: 'refresh', changes: catchUp.toJSON() });
        catchUp = null;
      },
    });
    const r = refresher;
    // A running worker renders with the previous release's bundle, which cannot be unloaded: replace it.
    // Changes the new site may lack start the next one at once (onSpawn hands them over).
    void (r.running ? r.recycle() : Promise.resolve()).then(() => {
      if (catchUp && catchUp.size > 0) r.post({ type: 'site-ready', serverEntry: entry });
    });
  };

  const jobs = createJobRunner(
    config,
    log,
    (job) => {
      if (job === 'build') catchUp ??= new ChangeSet();
    },
    (result) => {
      if (result.job !== 'build') return;
      if (!result.ok) {
        rt.metrics.buildFailures.inc();
        const at = new Date(result.startedAt + result.ms).toISOString();
        rt.status.lastBuildError = `at ${at}, after ${(result.ms / 1000).toFixed(1)} s (exit ${result.exit}; see the log)`;
        if (!stopping) rt.status.buildRetryAt = buildRetry.failed();
        return;
      }
      buildRetry.succeeded();
      rt.status.buildRetryAt = null;
      rt.status.lastBuildError = null;
      rt.status.lastBuildAt = Date.now();
      rt.generation++;
      rt.metrics.buildDuration.set(result.ms / 1000);
      rt.metrics.lastBuildTimestamp.set(rt.status.lastBuildAt / 1000);
      announceSite();
      sayReady();
    },
  );

  const buildRetry = createBuildRetry(
    () => jobs.run('build'),
    options.buildRetryDelaysMs ?? BUILD_RETRY_DELAYS_MS,
  );

  // The first pass's progress, and once the first pass is in and a site is published, the one line saying
  // where to look.
  const progress = createProgressReport({ log, json: !process.stdout.isTTY });
  let toldReady = false;
  const sayReady = (): void => {
    const db = rt.reader();
    if (toldReady || !rt.status.firstPassDone || !db || !existsSync(siteDir)) return;
    toldReady = true;
    log.info(readyLine(`${url}/`, usageSpan(db)));
  };

  let resolveFirstPass!: () => void;
  const firstPass = new Promise<void>((resolve) => (resolveFirstPass = resolve));

  const onCommit = (changes: FromWorker & { type: 'commit' }): void => {
    team?.nudge();
    rt.generation++;
    rt.status.lastIngestAt = changes.at;
    catchUp?.merge(changes.changes);
    refresher?.post({ type: 'refresh', changes: changes.changes });
    const db = rt.reader();
    if (!db) return;
    rt.metrics.refreshTotals(db, config.costMode, changes.changes.days);
    if (rt.bus.listenerCount('sse') === 0) return;
    const today = todayTotals(db, { ...config, now: Date.now() });
    rt.bus.emit(
      'sse',
      sseEvent(
        'commit',
        {
          generation: rt.generation,
          at: new Date(changes.at).toISOString(),
          changes: changes.changes,
          today,
        },
        rt.generation,
      ),
    );
  };

  const onMessage = (message: FromWorker): void => {
    switch (message.type) {
      case 'commit':
        return onCommit(message);
      case 'pass': {
        const p = message.pass;
        rt.status.ingestDown = null;
        rt.status.failedPasses = 0;
        rt.status.lastPassError = null;
        rt.status.lastIngestAt = p.finishedAt;
        rt.metrics.ingestDuration.observe((p.finishedAt - p.startedAt) / 1000);
        const lines = rt.metrics.ingestLines;
        lines.inc({ result: 'new' }, p.newMessages);
        lines.inc({ result: 'updated' }, p.replacedMessages);
        lines.inc({ result: 'duplicate' }, p.duplicateLines);
        lines.inc({ result: 'ignored' }, p.ignoredLines);
        lines.inc(
          { result: 'skipped' },
          Object.values(p.skipped).reduce((a, b) => a + b, 0),
        );
        if (p.first) {
          rt.status.firstPassDone = true;
          log.info('first ingest pass finished', {
            newMessages: p.newMessages,
            ms: p.finishedAt - p.startedAt,
          });
          resolveFirstPass();
          if (!existsSync(siteDir)) {
            if (!firstBuild) void jobs.run('build');
          } else announceSite();
          sayReady();
        }
        return;
      }
      case 'progress':
        return progress.update(message.progress);
      case 'max-block':
        rt.status.maxBlockTokens = message.tokens;
        return;
      case 'no-data':
        rt.status.ingestDown = null;
        // A hub needs no Claude dir of its own: its reports are of what the machines send it.
        if (rt.status.hub !== null) {
          if (!rt.status.firstPassDone) {
            log.info('hub: no local Claude Code data; reporting what the machines send', {
              reason: message.reason,
            });
            rt.status.firstPassDone = true;
            resolveFirstPass();
            if (!existsSync(siteDir)) void jobs.run('build');
            else announceSite();
            sayReady();
          }
          return;
        }
        if (rt.status.noDataReason === null) log.warn(message.reason);
        rt.status.noDataReason = message.reason;
        return;
      case 'pass-failed':
        rt.status.failedPasses++;
        rt.status.lastPassError = message.error;
        return;
      case 'data-found':
        rt.status.noDataReason = null;
        return;
      case 'error':
        log.error('ingest worker failed; trying again after the rescan interval', { error: message.message });
        rt.status.ingestDown = message.message;
        return;
      case 'stopped':
        return;
    }
  };

  try {
    team = await startTeamServices({
      config,
      log,
      rt,
      onCommit: (changes, at) => onCommit({ type: 'commit', changes, at }),
    });
  } catch (error) {
    statuslineSocket?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rt.close();
    uninstallRuntime();
    throw error;
  }

  // With no site yet, the first build starts now: Astro compiles while the first pass reads, and the build reads
  // the index once the pass is in. What was committed before then is in what it reads, so its changes need not
  // be rendered again. With no transcripts to read, no build waits for a pass that may not come.
  const firstBuild =
    rt.status.hub === null && !existsSync(siteDir) && config.claudeDirs.some(hasProjectsDir)
      ? jobs.run(
          'build',
          firstPass.then(() => void (catchUp = new ChangeSet())),
        )
      : null;

  const ingest = superviseWorker<ToWorker, FromWorker>({
    name: 'ingest',
    file: new URL('./ingest-worker.ts', import.meta.url),
    env: childEnv(config, process.env),
    workerData: { logJson: !process.stdout.isTTY },
    log,
    graceMs: STOP_WORKER_MS,
    onMessage,
    onCrash: (code) => (rt.status.ingestDown = `the ingest worker exited (code ${code}); restarting`),
  });

  const stopScheduler = startScheduler(config, (job) => jobs.run(job));

  const close = async (): Promise<void> => {
    stopping = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    statuslineSocket?.close();
    rt.bus.emit('shutdown');
    server.closeIdleConnections();
    stopScheduler();
    buildRetry.stop();
    await Promise.all([jobs.stop(), ingest.stop(), refresher?.stop(), team?.close()]);
    setTimeout(() => server.closeAllConnections(), 500).unref();
    await closed;
    rt.close();
    uninstallRuntime();
  };

  return { rt, server, url, firstPass, close };
}
