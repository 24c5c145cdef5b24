// Incremental refresh: after an ingest commit, re-render only the registry pages its ChangeSet touches and
// replace each file in the published site atomically. Refreshes run one at a time; changes arriving meanwhile
// are merged into the next run. A page without data (an unknown key, a day with no messages) is left alone.
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { ChangeSet } from '../../ingest/change-set.ts';
import type { Logger } from '../log.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { affectedPages, loadPage, pageFile, touchedKeys, type Page } from './pages.ts';
import type { SiteContext } from './site-context.ts';
import { sessionStartMonths } from './session-start-months.ts';
import { renderPage, type BundleHandler } from './build/render-page.ts';

export interface RefreshResult {
  pages: Page[];
  written: number;
  missing: number;
  failed: number;
  durationMs: number;
}

export interface RefresherOptions {
  /** The data dir's `site` directory; pages are written into site/current. */
  siteDir: string;
  /** The pages a change touched, in the order they are written. */
  affected: (changes: ChangeSet) => Page[];
  /** A page's HTML, or undefined when it has no data. */
  render: (page: Page) => Promise<string | undefined>;
  log: Logger;
  /** Called after each page is on disk (e.g. to notify watchers). */
  onWrite?: (page: Page) => void;
}

export interface Refresher {
  refresh(changes: ChangeSet): Promise<RefreshResult>;
}

/** The refresher's pages and renderer over the index as it is now and a published server bundle. */
export function siteRefresh(
  ctx: SiteContext,
  handler: BundleHandler,
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
  return {
    affected: (changes) => affectedPages(touchedKeys(changes, startMonths(changes))),
    render: async (page) => {
      const data = loadPage({ ...ctx, now: Date.now() }, page);
      return data && renderPage(handler, page, data);
    },
  };
}

export function createRefresher(options: RefresherOptions): Refresher {
  const { siteDir, render, log } = options;
  let running: Promise<RefreshResult> | undefined;
  let pending: { changes: ChangeSet; promise: Promise<RefreshResult> } | undefined;

  async function run(changes: ChangeSet): Promise<RefreshResult> {
    const started = performance.now();
    const pages = options.affected(changes);
    let root: string;
    try {
      // One release for the whole run, even if a build swaps `current` meanwhile.
      root = realpathSync(join(siteDir, 'current'));
    } catch {
      log.debug('no published site yet; refresh skipped');
      return { pages, written: 0, missing: 0, failed: 0, durationMs: 0 };
    }
    let written = 0;
    let missing = 0;
    let failed = 0;
    for (const page of pages) {
      try {
        const html = await render(page);
        if (html === undefined) {
          missing++;
          continue;
        }
        writeFileAtomic(join(root, pageFile(page)), html);
        written++;
        options.onWrite?.(page);
      } catch (error) {
        failed++;
        log.warn('page refresh failed', { page, error: (error as Error).message });
      }
    }
    const durationMs = performance.now() - started;
    log.debug('pages refreshed', { written, missing, failed, durationMs: Math.round(durationMs) });
    return { pages, written, missing, failed, durationMs };
  }

  const start = (changes: ChangeSet): Promise<RefreshResult> => {
    running = run(changes).finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    refresh(changes) {
      if (pending) {
        pending.changes.merge(changes);
        return pending.promise;
      }
      if (!running) return start(changes);
      const merged = new ChangeSet();
      merged.merge(changes);
      const promise = running
        .catch(() => undefined)
        .then(() => {
          const next = pending!;
          pending = undefined;
          return start(next.changes);
        });
      pending = { changes: merged, promise };
      return promise;
    },
  };
}
