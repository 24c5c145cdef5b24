// Incremental refresh: after an ingest commit, re-render only the pages its ChangeSet touches (through the
// on-demand twin routes) and replace each file in the published site atomically. Refreshes run one at a
// time; changes arriving meanwhile are merged into the next run. A page that renders as 404 is left alone.
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { ChangeSet } from '../../ingest/change-set.ts';
import type { Logger } from '../log.ts';
import { affectedPages, pageHref, touchedKeys } from './pages.ts';
import { writeFileAtomic } from './atomic-write.ts';

export interface RefreshResult {
  paths: string[];
  written: number;
  missing: number;
  failed: number;
  durationMs: number;
}

export interface RefresherOptions {
  /** The data dir's `site` directory; pages are written into site/current. */
  siteDir: string;
  render: (path: string) => Promise<string | undefined>;
  log: Logger;
  /** Called after each page is on disk (e.g. to notify watchers). */
  onWrite?: (path: string) => void;
  /** The months the given sessions started in (local time), whose session-listing pages show them. */
  sessionStartMonths?: (sessionIds: ReadonlySet<string>) => Iterable<string>;
}

export interface Refresher {
  refresh(changes: ChangeSet): Promise<RefreshResult>;
}

export function pageFile(root: string, path: string): string {
  const clean = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (clean.some((part) => part === '..' || part === '.' || part.includes('\0'))) {
    throw new Error(`refusing path ${path}`);
  }
  return join(root, ...clean, 'index.html');
}

export function createRefresher(options: RefresherOptions): Refresher {
  const { siteDir, render, log } = options;
  let running: Promise<RefreshResult> | undefined;
  let pending: { changes: ChangeSet; promise: Promise<RefreshResult> } | undefined;

  /** A failure here costs the session-listing month pages of older sessions, never the refresh. */
  function startMonths(changes: ChangeSet): Iterable<string> {
    try {
      return options.sessionStartMonths?.(changes.sessions) ?? [];
    } catch (error) {
      log.warn('session start months unavailable', { error: (error as Error).message });
      return [];
    }
  }

  async function run(changes: ChangeSet): Promise<RefreshResult> {
    const started = performance.now();
    const paths = affectedPages(touchedKeys(changes, startMonths(changes))).map(pageHref);
    let root: string;
    try {
      // One release for the whole run, even if a build swaps `current` meanwhile.
      root = realpathSync(join(siteDir, 'current'));
    } catch {
      log.debug('no published site yet; refresh skipped');
      return { paths, written: 0, missing: 0, failed: 0, durationMs: 0 };
    }
    let written = 0;
    let missing = 0;
    let failed = 0;
    for (const path of paths) {
      try {
        const html = await render(path);
        if (html === undefined) {
          missing++;
          continue;
        }
        writeFileAtomic(pageFile(root, path), html);
        written++;
        options.onWrite?.(path);
      } catch (error) {
        failed++;
        log.warn('page refresh failed', { path, error: (error as Error).message });
      }
    }
    const durationMs = performance.now() - started;
    log.debug('pages refreshed', { written, missing, failed, durationMs: Math.round(durationMs) });
    return { paths, written, missing, failed, durationMs };
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
