// The data of a prerendered report page, by its path: what each page under src/pages computes for itself, for
// the prerender helper, which loads pages while Astro compiles and hands the data to the page (preloaded.ts).
// The build's shared key lists (static-keys.ts) are used the same way the pages use them.
import type { SiteContext } from '../site-context.ts';
import { matchTwinRoute } from '../twin-route.ts';
import { staticSessionRows, staticSessionStarts } from '../static-keys.ts';
import { loadOverview } from './overview.ts';
import { loadPeriods } from './periods.ts';
import { loadDay } from './day.ts';
import { loadMonth } from './month.ts';
import { loadProjects } from './projects.ts';
import { loadProject } from './project.ts';
import { loadSessions } from './sessions.ts';
import { loadSession } from './session.ts';
import { loadModels } from './models.ts';
import { loadBlocks } from './blocks.ts';

/** The page's data, or undefined for a path that is no report page. */
export function loadStaticPage(ctx: SiteContext, path: string): object | undefined {
  const page = matchTwinRoute(path);
  switch (page?.page) {
    case undefined:
      return undefined;
    case 'overview':
      return loadOverview(ctx);
    case 'periods':
      return loadPeriods(ctx, page.kind);
    case 'day':
      return loadDay(ctx, page.day);
    case 'month':
      return loadMonth(ctx, page.month);
    case 'projects':
      return loadProjects(ctx);
    case 'project':
      return loadProject(ctx, page.project);
    case 'sessions':
      return loadSessions(ctx, page.month, staticSessionStarts());
    case 'session':
      return loadSession(ctx, page.sessionId, staticSessionRows());
    case 'models':
      return loadModels(ctx);
    case 'blocks':
      return loadBlocks(ctx);
  }
}
