// `npm run bench:site`: a year of heavy use (365 days, 50 projects, 4,000 sessions, ~300k requests) written
// straight into a fresh index, then: the full `ctm build` (astro build, rendering, atomic publish) with its
// peak memory over all its processes, the incremental
// refresh latency (a committed message → its session, day, project pages and the overview rewritten on disk,
// then every affected page), the page loaders over every page, the overview's gzipped transfer size, and that
// the client bundle is one hashed asset. Prints the figures and writes bench/results/site.json.
import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/log.ts';
import { openDb } from '../src/db/open.ts';
import { buildSite } from '../src/site/build/build-site.ts';
import { createRefresher, siteRefresh } from '../src/site/refresh/refresh-pages.ts';
import { serverEntry, sitePaths } from '../src/site/site-paths.ts';
import { PAGE_KINDS, PAGES, href, loadPage, pageHref, siteKeys } from '../src/site/pages.ts';
import { openSiteContext } from '../src/site/site-context.ts';
import { loadBundle } from '../src/site/build/render-page.ts';
import { ChangeSet } from '../src/db/change-set.ts';
import { makeLocalTime } from '../src/time/local-time.ts';
import { insertUsageRows, syntheticRows } from '../test/fixtures/seed-usage-db.ts';
import { samplePeakMemory } from './tree-memory.ts';

const SHAPE = { days: 365, projects: 50, sessions: 4000, requestsPerSession: 75 };
const REFRESHES = Number(process.env.BENCH_REFRESHES ?? 40);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

const dataDir = mkdtempSync(join(tmpdir(), 'ctm-bench-site-'));
const env = { CTM_DATA_DIR: dataDir, CTM_TZ: 'UTC', CTM_LOG_LEVEL: 'warn' };
Object.assign(process.env, env);
const config = loadConfig(env);
const today = new Date().toISOString().slice(0, 10);
try {
  let t = performance.now();
  // The year ends a few minutes ago (nothing in the future), so new messages land after all history.
  const rows = syntheticRows({ ...SHAPE, endDay: today });
  const shift = Date.now() - 5 * 60_000 - rows.reduce((m, r) => Math.max(m, r.ts), 0);
  const seedDb = openDb(config.dbPath);
  insertUsageRows(
    seedDb,
    rows.map((r) => ({ ...r, ts: r.ts + shift })),
  );
  seedDb.pragma('wal_checkpoint(TRUNCATE)');
  seedDb.close();
  const messages = rows.length;
  const seedMs = performance.now() - t;
  console.log(`seeded ${messages.toLocaleString('en-US')} requests in ${(seedMs / 1000).toFixed(1)} s`);

  const loadBeforeBuild = loadavg()[0]!;
  const stopSampling = samplePeakMemory();
  const build = await buildSite(config, silentLogger);
  const peakBuildMB = round(stopSampling() / 2 ** 20, 0);
  const loadAfterBuild = loadavg()[0]!;
  const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `full build: ${build.pages.toLocaleString('en-US')} pages in ${s1(build.durationMs)}, peak ${peakBuildMB} MB ` +
      `over all its processes (astro build done at ${s1(build.render.astroDoneMs)}; ` +
      build.render.processes
        .map(
          (p, i) =>
            `render process ${i + 1}: ${p.written} pages, ${p.preloaded} loaded by ${s1(p.loadedMs)}, ` +
            `rendering from ${s1(p.renderMs)} to ${s1(p.finishedMs)}`,
        )
        .join('; ') +
      `) (load average ${loadBeforeBuild.toFixed(1)} → ${loadAfterBuild.toFixed(1)})`,
  );

  // Overview transfer size and the client asset.
  const site = realpathSync(sitePaths(dataDir).current);
  const overview = readFileSync(join(site, 'index.html'));
  const assets = readdirSync(join(site, '_astro'));
  const scripts = assets.filter((a) => a.endsWith('.js'));
  const referenced = [...overview.toString().matchAll(/(?:href|src)="(\/_astro\/[^"]+)"/g)].map((m) => m[1]!);
  const overviewAssetsGz = referenced.reduce(
    (s, a) => s + gzipSync(readFileSync(join(site, a)), { level: 6 }).length,
    0,
  );
  const overviewHtmlGz = gzipSync(overview, { level: 6 }).length;
  // The report pages' one script: referenced by the overview, the same on a session, day and project page,
  // hashed, and carrying uPlot. Other scripts in /_astro/ belong to other pages (the /live/ page).
  const clientScript = referenced.find((a) => a.endsWith('.js'))!;
  const sample = [
    join(
      'sessions',
      readdirSync(join(site, 'sessions')).find((d) => d.includes('-'))!,
    ),
    join(
      'days',
      readdirSync(join(site, 'days')).find((d) => /^\d{4}-/.test(d))!,
    ),
    join('projects', readdirSync(join(site, 'projects'))[0]!),
    'days',
    'blocks',
  ];
  const sameScript = sample.every((dir) => {
    const html = readFileSync(join(site, dir, 'index.html'), 'utf8');
    const scriptsIn = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
    return scriptsIn.length === 1 && scriptsIn[0] === clientScript;
  });
  const clientText = readFileSync(join(site, clientScript), 'utf8');
  const hashed = /-[\w-]{8}\.js$/.test(clientScript);
  const hasUplot = clientText.includes('u-legend') && clientText.includes('u-over');
  const otherScripts = scripts.filter((a) => `/_astro/${a}` !== clientScript);
  console.log(
    `overview: ${(overviewHtmlGz / 1024).toFixed(1)} KB gzipped HTML, ${((overviewHtmlGz + overviewAssetsGz) / 1024).toFixed(1)} KB with its CSS and JS (first visit)`,
  );
  console.log(
    `report pages' script: ${clientScript} (${(gzipSync(clientText).length / 1024).toFixed(1)} KB gzipped, uPlot inside: ${hasUplot}, ` +
      `hashed: ${hashed}, the only script of every sampled page: ${sameScript}); other scripts: ${otherScripts.join(', ') || 'none'}`,
  );
  // The page loaders (each page's SQL and shaping) over every page, in this one process and outside Astro:
  // the data side of the build, apart from rendering and writing. They read the index as a build process
  // does: one snapshot, sums from usage_daily, the session list read once when the context opens (not timed).
  const buildCtx = openSiteContext(config, true);
  const keys = siteKeys(buildCtx);
  const loadersMs = Object.fromEntries(
    PAGE_KINDS.map((kind) => {
      const started = performance.now();
      for (const key of PAGES[kind].keys(keys)) loadPage({ ...buildCtx, now: Date.now() }, { kind, key });
      return [kind, round(performance.now() - started, 0)];
    }),
  );
  buildCtx.db.close();
  const loadersTotalMs = Object.values(loadersMs).reduce((a, b) => a + b, 0);
  console.log(
    `page loaders, all pages in one process: ${(loadersTotalMs / 1000).toFixed(1)} s (` +
      Object.entries(loadersMs)
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`)
        .join(', ') +
      ')',
  );

  // Incremental refresh: commit one message to a random session, then refresh its pages.
  const priority = new Set<string>();
  let priorityDoneAt = 0;
  let t0 = 0;
  const db = openDb(config.dbPath);
  // As `ctm start` wires it: the index as it is, the published bundle.
  const refreshCtx = openSiteContext(config, false);
  const refresher = createRefresher({
    siteDir: sitePaths(dataDir).root,
    log: silentLogger,
    ...siteRefresh(refreshCtx, await loadBundle(serverEntry(dataDir)), silentLogger),
    onWrite: (page) => {
      priority.delete(pageHref(page));
      if (priority.size === 0 && priorityDoneAt === 0) priorityDoneAt = performance.now() - t0;
    },
  });
  const sessions = db
    .prepare(
      `SELECT session_id AS sessionId, project, cwd FROM usage WHERE day >= date('now', '-3 days') GROUP BY session_id`,
    )
    .all() as { sessionId: string; project: string; cwd: string }[];
  const localTime = makeLocalTime('UTC');
  const loadBeforeRefresh = loadavg()[0]!;
  const first: number[] = [];
  const all: number[] = [];
  const pages: number[] = [];
  for (let i = 0; i < REFRESHES; i++) {
    const s = sessions[i % sessions.length]!;
    const ts = Date.now();
    t0 = performance.now();
    insertUsageRows(db, [
      { ts, model: 'claude-sonnet-4-5-20250929', ...s, input: 100 + i, output: 500, cacheRead: 20_000 },
    ]);
    const changes = new ChangeSet();
    const { day, hour } = localTime(ts);
    changes.add(day, hour, s.sessionId, s.project, 'claude-sonnet-4-5-20250929');
    priority.clear();
    for (const p of [href.session(s.sessionId), href.day(day), href.project(s.project), href.overview()])
      priority.add(p);
    priorityDoneAt = 0;
    const result = await refresher.refresh(changes);
    all.push(performance.now() - t0);
    first.push(priorityDoneAt);
    pages.push(result.written);
  }
  db.close();
  refreshCtx.db.close();
  const refresh = {
    runs: REFRESHES,
    pagesPerRefresh: percentile(pages, 50),
    sessionDayProjectOverviewMs: {
      p50: round(percentile(first, 50)),
      p95: round(percentile(first, 95)),
      max: round(Math.max(...first)),
    },
    allAffectedPagesMs: {
      p50: round(percentile(all, 50)),
      p95: round(percentile(all, 95)),
      max: round(Math.max(...all)),
    },
  };
  console.log(
    `refresh (commit → on disk, ${REFRESHES} runs): session+day+project+overview p50 ${refresh.sessionDayProjectOverviewMs.p50} ms, p95 ${refresh.sessionDayProjectOverviewMs.p95} ms; ` +
      `all ${refresh.pagesPerRefresh} affected pages p50 ${refresh.allAffectedPagesMs.p50} ms, p95 ${refresh.allAffectedPagesMs.p95} ms`,
  );

  const results = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model,
      node: process.version,
      // 1-minute load average around each phase: other processes sharing the cores slow every figure down.
      loadavg: {
        beforeBuild: round(loadBeforeBuild, 2),
        afterBuild: round(loadAfterBuild, 2),
        beforeRefresh: round(loadBeforeRefresh, 2),
        afterRefresh: round(loadavg()[0]!, 2),
      },
    },
    data: { ...SHAPE, requests: messages, seedSeconds: round(seedMs / 1000) },
    build: {
      pages: build.pages,
      seconds: round(build.durationMs / 1000, 2),
      targetSeconds: 12,
      peakMemoryMB: peakBuildMB,
      targetPeakMemoryMB: 1536,
      render: build.render,
    },
    loadersMs: { ...loadersMs, total: loadersTotalMs },
    refresh: { ...refresh, targetP95Ms: 400 },
    overview: {
      htmlGzipKB: round(overviewHtmlGz / 1024),
      withAssetsGzipKB: round((overviewHtmlGz + overviewAssetsGz) / 1024),
      targetKB: 150,
    },
    clientBundle: {
      script: clientScript,
      hashed,
      containsUplot: hasUplot,
      sameOnEveryReportPage: sameScript,
      otherScripts,
    },
  };
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/site.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
  console.log('saved bench/results/site.json');
} finally {
  if (!process.env.BENCH_KEEP) rmSync(dataDir, { recursive: true, force: true });
  else console.log(`kept ${dataDir}`);
}
