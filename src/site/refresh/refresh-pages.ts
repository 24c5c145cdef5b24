// Incremental refresh: after an ingest commit, re-render only the registry pages its ChangeSet touches and
// replace each file in the published site atomically, the page's CSV files (its tables) before its HTML so
// that no link of the new page points at a file not yet written. The one queue of changes: a first change waits a moment
// for the rest of its burst, runs go one at a time, and changes arriving during a run are merged into the
// next. A page without data (an unknown key, a day with no messages) is left alone.
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { ChangeSet } from '../../db/change-set.ts';
import type { Logger } from '../../log.ts';
import { writeFileAtomic } from '../atomic-write.ts';
import {
  affectedPages,
  loadPage,
  pageCsvFiles,
  pageFile,
  touchedKeys,
  type Page,
  type PageFile,
} from '../pages.ts';
import type { SiteContext } from '../site-context.ts';
import { sessionStartMonths } from '../session-start-months.ts';
import { renderPage, type BundleHandler } from '../build/render-page.ts';
import { teamNav, type TeamNav } from '../load/team.ts';

export interface RefreshResult {
  pages: Page[];
  written: number;
  missing: number;
  failed: number;
  durationMs: number;
}

export interface RenderedPage {
  html: string;
  files: PageFile[];
}

export interface RefresherOptions {
  /** The data dir's `site` directory; pages are written into site/current. */
  siteDir: string;
  /** The pages a change touched, in the order they are written. */
  affected: (changes: ChangeSet) => Page[];
  /** A page's HTML and the files beside it (its tables' CSV), or undefined when it has no data. */
  render: (page: Page) => Promise<RenderedPage | undefined>;
  log: Logger;
  /** Called after each page is on disk (e.g. to notify watchers). */
  onWrite?: (page: Page) => void;
  /** Called after each run. */
  onRun?: (result: RefreshResult) => void;
  /** How long a change waits for more before a run starts (an ingest pass commits file by file). */
  debounceMs?: number;
}

export interface Refresher {
  /** Queues a change; the result is the run's that covers it. */
  refresh(changes: ChangeSet): Promise<RefreshResult>;
  /** Waits for the running run; changes that have not started are dropped (nothing refreshed). */
  stop(): Promise<void>;
}

/** The refresher's pages and renderer over the index as it is now and a published server bundle. */
export function siteRefresh(
  ctx: SiteContext,
  handler: BundleHandler | Promise<BundleHandler>,
  log: Logger,
): Pick<RefresherOptions, 'affected' | 'render'> {
  // The months the changed sessions started in name more pages of the session listing; a failure to read
  // them costs those pages, never the refresh.
  const startMonths = (changes: ChangeSet): string[] => {
    try {
      return sessionStartMonths(ctx.db, ctx.filter.timezone, changes.sessions);
    } catch (error) {
      log.warn('session start months unavailable', { error: (error as Error).message });
      return [];
    }
  };
  // Likewise whether the machines and users pages exist: unread, they are not refreshed this time.
  const team = (): TeamNav => {
    try {
      return teamNav(ctx);
    } catch (error) {
      log.warn('machines and users unavailable', { error: (error as Error).message });
      return { machines: false, users: false };
    }
  };
  return {
    affected: (changes) => affectedPages(touchedKeys(changes, startMonths(changes), team())),
    render: async (page) => {
      const data = loadPage({ ...ctx, now: Date.now() }, page);
      if (!data) return undefined;
      return { html: await renderPage(await handler, page, data), files: pageCsvFiles(page, data) };
    },
  };
}

const nothing = (pages: Page[] = []): RefreshResult => ({
  pages,
  written: 0,
  missing: 0,
  failed: 0,
  durationMs: 0,
});

export function createRefresher(options: RefresherOptions): Refresher {
  const { siteDir, render, log } = options;
  interface Batch {
    changes: ChangeSet;
    result: Promise<RefreshResult>;
    settle(run: Promise<RefreshResult>): void;
  }
  let next: Batch | undefined;
  let running: Promise<unknown> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function run(changes: ChangeSet): Promise<RefreshResult> {
    const started = performance.now();
    const pages = options.affected(changes);
    let root: string;
    try {
      // One release for the whole run, even if a build swaps `current` meanwhile.
      root = realpathSync(join(siteDir, 'current'));
    } catch {
      log.debug('no published site yet; refresh skipped');
      return nothing(pages);
    }
    let written = 0;
    let missing = 0;
    let failed = 0;
    for (const page of pages) {
      try {
        const rendered = await render(page);
        if (rendered === undefined) {
          missing++;
          continue;
        }
        for (const { file, text } of rendered.files) writeFileAtomic(join(root, file), text);
        writeFileAtomic(join(root, pageFile(page)), rendered.html);
        written++;
        options.onWrite?.(page);
      } catch (error) {
        failed++;
        log.warn('page refresh failed', { page, error: (error as Error).message });
      }
    }
    const durationMs = performance.now() - started;
    log.debug('pages refreshed', { written, missing, failed, durationMs: Math.round(durationMs) });
    const result = { pages, written, missing, failed, durationMs };
    options.onRun?.(result);
    return result;
  }

  const start = (): void => {
    timer = undefined;
    const batch = next;
    next = undefined;
    if (!batch) return;
    const done = run(batch.changes);
    batch.settle(done);
    running = done
      .catch((error: unknown) => log.error('page refresh failed', { error: (error as Error).message }))
      .finally(() => {
        running = undefined;
        // What came in during the run: its own time gathered the burst.
        if (next && !stopped) start();
      });
  };

  return {
    refresh(changes) {
      if (stopped) return Promise.resolve(nothing());
      if (!next) {
        let settle!: Batch['settle'];
        const result = new Promise<RefreshResult>((resolve) => (settle = resolve));
        next = { changes: new ChangeSet(), result, settle };
        if (!running) timer = setTimeout(start, options.debounceMs ?? 0);
      }
      next.changes.merge(changes);
      return next.result;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      next?.settle(Promise.resolve(nothing()));
      next = undefined;
      await running;
    },
  };
}
