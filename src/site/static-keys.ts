// The keys of a build's pages (pages.ts's SiteKeys), read once per build process and shared by every route's
// getStaticPaths (the twin routes never use it: they render whatever path they are asked for), and the
// build's lists: the session starts (the session listing's month pages all group the same sessions by month)
// and every session's summary row, one grouped scan instead of one query per session page.
import { sessionList } from '../db/queries/session-list.ts';
import { sessionStarts } from '../db/queries/session-starts.ts';
import { siteContext, type BuildLists, type SiteContext } from './site-context.ts';
import { PAGES, pageHref, siteKeys, type PageKind, type SiteKeys } from './pages.ts';

let keys: SiteKeys | undefined;
let lists: BuildLists | undefined;

function buildLists(): BuildLists {
  if (!lists) {
    const { db, filter } = siteContext();
    lists = {
      sessionStarts: sessionStarts(db),
      sessionRows: new Map(sessionList(db, filter).map((row) => [row.sessionId, row])),
    };
  }
  return lists;
}

export function staticKeys(): SiteKeys {
  if (!keys) {
    keys = siteKeys(buildContext());
  }
  return keys;
}

/** The context a prerendered page loads from: the process's snapshot and the build's lists. */
export function buildContext(): SiteContext {
  return { ...siteContext(), lists: buildLists() };
}

/** getStaticPaths of a kind's route: each key's page, the route's one parameter being its href's last part. */
export function staticPaths(
  kind: PageKind,
  param: string,
): { params: Record<string, string>; props: { key: string } }[] {
  return PAGES[kind].keys(staticKeys()).map((key) => ({
    params: { [param]: pageHref({ kind, key }).split('/').at(-2)! },
    props: { key },
  }));
}
