// Debounced incremental page refresh in the ingest worker: commits arriving within a short window are merged
// into one change set and handed to the site's refresher, which re-renders just the affected pages into the
// published site. Idle until the first build has published a site and its server bundle; pages are rendered
// through the bundle of the release it was loaded from (the supervisor recycles the worker after a new build).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { ChangeSet } from '../../ingest/change-set.ts';
import { loadBundle } from '../site/build/render-page.ts';
import { createRefresher, siteRefresh, type Refresher } from '../site/refresh-pages.ts';
import { openSiteContext, type SiteContext } from '../site/site-context.ts';
import type { ChangeSetJson } from './worker-messages.ts';

const DEBOUNCE_MS = 30;

export function toChangeSet(json: ChangeSetJson): ChangeSet {
  const set = new ChangeSet();
  for (const key of ['days', 'hours', 'sessions', 'projects', 'models'] as const) {
    for (const value of json[key]) set[key].add(value);
  }
  return set;
}

export function createPageRefresh(config: Config, log: Logger, done: (pages: number, ms: number) => void) {
  let pending: ChangeSet | null = null;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let refresher: Refresher | null = null;
  let loading: Promise<void> | null = null;
  let ctx: SiteContext | null = null;
  const siteDir = join(config.dataDir, 'site');

  const schedule = (): void => {
    if (pending && refresher && !timer && !running) timer = setTimeout(() => void run(), DEBOUNCE_MS);
  };

  const run = async (): Promise<void> => {
    timer = undefined;
    if (!refresher || !pending || running) return;
    const changes = pending;
    pending = null;
    const r = refresher;
    running = (async () => {
      try {
        const result = await r.refresh(changes);
        done(result.written, result.durationMs);
      } catch (error) {
        log.error('page refresh failed', { error: (error as Error).message });
      }
    })();
    await running;
    running = null;
    schedule();
  };

  const load = (serverEntry: string): Promise<void> =>
    (loading ??= (async () => {
      try {
        const handler = await loadBundle(serverEntry);
        ctx ??= openSiteContext(config, false);
        refresher = createRefresher({ siteDir, log, ...siteRefresh(ctx, handler, log) });
        schedule();
      } catch (error) {
        loading = null;
        log.warn('page refresh unavailable', { error: (error as Error).message });
      }
    })());

  return {
    add(changes: ChangeSetJson): void {
      // Before a site is published, the coming full build covers every change.
      if (!refresher && !loading) return;
      if (!pending) pending = new ChangeSet();
      pending.merge(toChangeSet(changes));
      schedule();
    },
    siteReady(serverEntry: string): void {
      if (existsSync(serverEntry) && existsSync(join(siteDir, 'current'))) void load(serverEntry);
    },
    get loaded(): boolean {
      return refresher !== null;
    },
    async stop(): Promise<void> {
      if (timer) clearTimeout(timer);
      await running;
      ctx?.db.close();
    },
  };
}
