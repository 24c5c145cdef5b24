// The page refresh of `ctm start`'s refresh process: each commit's change set goes into the site's one queue
// of changes (refresh-pages.ts), which re-renders just the affected pages into the published site. Idle until
// the first build has published a site and its server bundle; pages are rendered through the bundle of the
// release it was told of (the supervisor recycles the process after a new build).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { ChangeSet, type ChangeSetJson } from '../db/change-set.ts';
import { loadBundle } from '../site/build/render-page.ts';
import { createRefresher, siteRefresh, type Refresher } from '../site/refresh/refresh-pages.ts';
import { openSiteContext, type SiteContext } from '../site/site-context.ts';

// Commits arriving within this window are one run.
const DEBOUNCE_MS = 30;

export function createPageRefresh(config: Config, log: Logger, done: (pages: number, ms: number) => void) {
  const siteDir = join(config.dataDir, 'site');
  let refresher: Refresher | null = null;
  let ctx: SiteContext | null = null;

  return {
    add(changes: ChangeSetJson): void {
      // Before a site is published, the coming full build covers every change. A failed run is logged there.
      void refresher?.refresh(ChangeSet.fromJSON(changes)).catch(() => undefined);
    },
    siteReady(serverEntry: string): void {
      if (refresher || !existsSync(serverEntry) || !existsSync(join(siteDir, 'current'))) return;
      try {
        ctx ??= openSiteContext(config, false);
      } catch (error) {
        log.warn('page refresh unavailable', { error: (error as Error).message });
        return;
      }
      // Changes queue from now on; the first run waits for the bundle.
      const bundle = loadBundle(serverEntry);
      bundle.catch((error: unknown) => {
        log.warn('page refresh unavailable', { error: (error as Error).message });
        refresher = null;
      });
      refresher = createRefresher({
        siteDir,
        log,
        debounceMs: DEBOUNCE_MS,
        onRun: (result) => done(result.written, result.durationMs),
        ...siteRefresh(ctx, bundle, log),
      });
    },
    async stop(): Promise<void> {
      await refresher?.stop();
      ctx?.db.close();
    },
  };
}
