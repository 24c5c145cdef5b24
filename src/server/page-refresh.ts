// Debounced incremental page refresh in the ingest worker: commits arriving within a short window are merged
// into one change set and handed to the site's refresher, which re-renders just the affected pages into the
// published site. Idle until the first build has published a site and its SSR bundle.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { ChangeSet } from '../../ingest/change-set.ts';
import type { ChangeSetJson } from './worker-messages.ts';

const DEBOUNCE_MS = 60;

type Refresh = (changes: ChangeSet) => Promise<unknown>;

export function toChangeSet(json: ChangeSetJson): ChangeSet {
  const set = new ChangeSet();
  for (const key of ['days', 'hours', 'sessions', 'projects', 'models'] as const) {
    for (const value of json[key]) set[key].add(value);
  }
  return set;
}

export function createPageRefresh(
  config: Pick<Config, 'dataDir'>,
  log: Logger,
  done: (pages: number, ms: number) => void,
) {
  let pending: ChangeSet | null = null;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let refresh: Refresh | null = null;
  let loading: Promise<void> | null = null;
  const siteDir = join(config.dataDir, 'site', 'current');

  const load = (serverEntry: string): Promise<void> =>
    (loading ??= (async () => {
      try {
        const modulePath = '../site/refresh-pages.ts';
        const mod = (await import(modulePath)) as {
          createRefresher(o: { siteDir: string; render: unknown; log: Logger }): { refresh: Refresh };
          createHandlerRenderer(entry: string): unknown;
        };
        const render = await mod.createHandlerRenderer(serverEntry);
        const refresher = mod.createRefresher({ siteDir, render, log });
        refresh = (changes) => refresher.refresh(changes);
        schedule();
      } catch (error) {
        loading = null;
        log.warn('page refresh unavailable', { error: (error as Error).message });
      }
    })());

  const run = async (): Promise<void> => {
    timer = undefined;
    if (!refresh || !pending || running) return;
    const changes = pending;
    pending = null;
    const started = performance.now();
    running = (async () => {
      try {
        const result = (await refresh!(changes)) as { pages?: number; written?: number } | undefined;
        done(result?.pages ?? result?.written ?? 0, performance.now() - started);
      } catch (error) {
        log.error('page refresh failed', { error: (error as Error).message });
      }
    })();
    await running;
    running = null;
    if (pending) schedule();
  };

  const schedule = (): void => {
    if (pending && !timer && !running) timer = setTimeout(() => void run(), DEBOUNCE_MS);
  };

  return {
    add(changes: ChangeSetJson): void {
      // Before a site is published, the coming full build covers every change.
      if (!refresh && !loading) return;
      if (!pending) pending = new ChangeSet();
      pending.merge(toChangeSet(changes));
      schedule();
    },
    siteReady(serverEntry: string): void {
      if (existsSync(serverEntry) && existsSync(siteDir)) void load(serverEntry);
    },
    async stop(): Promise<void> {
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
