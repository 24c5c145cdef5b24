// How `ctm build` splits prerendering between Astro's own process and the prerender helper (prerender-helper.ts):
// the helper starts while Astro is still compiling, so it takes every listing and the overview (the pages that
// read the whole history and take longest) plus a share of the many dynamic pages; Astro renders the rest once
// its bundle is built. One rule over the page's path, used by both sides.
import { allPages, pageHref } from './pages.ts';

/** The pages that read the whole history (the kinds with one page): all of them go to the helper. */
export const HELPER_SINGLETONS: ReadonlySet<string> = new Set(
  allPages({ days: [], months: [], projects: [], sessions: [], sessionMonths: [] }).map(pageHref),
);

/** Percentage of the dynamic pages (days, months, projects, sessions) the helper renders. On the bench's year
 * of heavy use with 2 cores, 60 % plus the listings let both sides finish within about a second of each other
 * (at 50 % Astro finished 1-1.5 s after the helper): the helper loads most of its pages while Astro compiles. */
export const HELPER_SHARE = 60;

/** FNV-1a over the path: a stable, even spread of the dynamic pages. */
function hash(path: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) {
    h ^= path.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Whether the helper renders the page at `pathname` (Astro's form: `/days/2026-11-21` or `/days/2026-11-21/`). */
export function helperRenders(pathname: string, share = HELPER_SHARE): boolean {
  const path = pathname.endsWith('/') ? pathname : `${pathname}/`;
  if (HELPER_SINGLETONS.has(path)) return true;
  if (!/^\/(days|months|projects|sessions)\/./.test(path)) return false;
  return hash(path) % 100 < share;
}
