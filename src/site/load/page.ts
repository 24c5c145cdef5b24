// The data of a report page, by its route: the one mapping from a page to its loader, for the on-demand twin
// routes and for the prerender helper (which loads pages while Astro compiles and hands the data to the page).
// A build passes its per-process session lists (static-keys.ts), as the prerendered pages themselves do; the
// twins read them fresh. A project or session page is asked for by its slug and loaded by its key.
import type { SiteContext } from '../site-context.ts';
import type { TwinPage } from '../twin-route.ts';
import type { SessionStartRow } from '../../db/queries/session-starts.ts';
import type { SessionListRow } from '../../db/queries/session-list.ts';
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
import { slugKey } from '../slug-key.ts';

export interface BuildLists {
  sessionStarts: readonly SessionStartRow[];
  sessionRows: ReadonlyMap<string, SessionListRow>;
}

/** The page's data; undefined when the page has none (an unknown project or session). */
export function loadPage(ctx: SiteContext, page: TwinPage, build?: BuildLists): object | undefined {
  switch (page.page) {
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
    case 'project': {
      const project = slugKey(ctx.db, 'project', page.slug);
      return project === undefined ? undefined : loadProject(ctx, project);
    }
    case 'sessions':
      return build ? loadSessions(ctx, page.month, build.sessionStarts) : loadSessions(ctx, page.month);
    case 'session': {
      const sessionId = slugKey(ctx.db, 'session', page.slug);
      return sessionId === undefined ? undefined : loadSession(ctx, sessionId, build?.sessionRows);
    }
    case 'models':
      return loadModels(ctx);
    case 'blocks':
      return loadBlocks(ctx);
  }
}
