// The page registry: every kind of report page once, with the keys the index has pages for, its address, its
// file in the published site, its loader, the view that draws it and its tables' CSV files (csv-pages.ts).
// The build's page list, the refresh's affected pages, every link (`href`) and the report route all derive
// from here: a new page is one entry.
import type { SiteContext } from './site-context.ts';
import { pageSlug } from './page-slug.ts';
import { routeKeys } from '../db/queries/route-keys.ts';
import { sessionStarts } from '../db/queries/session-starts.ts';
import { sessionMonths } from './session-months.ts';
import { loadOverview } from './load/overview.ts';
import { loadPeriods } from './load/periods.ts';
import { loadDay } from './load/day.ts';
import { loadMonth } from './load/month.ts';
import { loadProjects } from './load/projects.ts';
import { loadProject } from './load/project.ts';
import { loadSessions } from './load/sessions.ts';
import { loadSession } from './load/session.ts';
import { loadModels } from './load/models.ts';
import { loadBlocks } from './load/blocks.ts';
import { loadTeam, localNames, type TeamNav } from './load/team.ts';
import { loadTeamBreakdown } from './load/team-breakdown.ts';
import { teamNames } from '../db/queries/team-names.ts';
import { toCsv } from '../format/csv.ts';
import type { CsvTable } from './csv-tables.ts';
import * as csv from './csv-pages.ts';

/** The keys the index has pages for (route-keys.ts, session-months.ts). */
export interface SiteKeys {
  days: readonly string[];
  months: readonly string[];
  projects: readonly string[];
  sessions: readonly string[];
  /** Months of the session listing: the local months sessions started in. */
  sessionMonths: readonly string[];
  /** The machines and users by name (team-names.ts): their pages exist only when there are two or more. */
  machines: readonly string[];
  users: readonly string[];
}

export function siteKeys(ctx: SiteContext): SiteKeys {
  const tz = ctx.filter.timezone;
  const starts = ctx.lists?.sessionStarts ?? sessionStarts(ctx.db);
  return {
    ...routeKeys(ctx.db, tz),
    sessionMonths: sessionMonths(starts, tz).map((m) => m.month),
    ...teamNames(ctx.db, localNames(ctx)),
  };
}

/** What a change touched, as the keys of the pages that show it (touchedKeys). */
export interface Touched {
  days: ReadonlySet<string>;
  months: ReadonlySet<string>;
  projects: ReadonlySet<string>;
  sessions: ReadonlySet<string>;
  sessionMonths: ReadonlySet<string>;
  /** Whether the machines and users pages exist (teamNav): a single-machine index's refresh names neither. */
  team: TeamNav;
}

/** The components the report route draws pages with (src/pages/[...page].astro maps each name to one). */
export type ViewName =
  | 'OverviewView'
  | 'PeriodsView'
  | 'DayView'
  | 'MonthView'
  | 'ProjectsView'
  | 'ProjectView'
  | 'SessionsView'
  | 'SessionView'
  | 'ModelsView'
  | 'BlocksView'
  | 'TeamView'
  | 'NotFoundView';

export interface PageSpec {
  /** Keys of this kind's pages in the index; `['']` for a kind with one page. */
  keys(keys: SiteKeys): readonly string[];
  href(key: string): string;
  /** The page's file, relative to the site's root; by default its href's index.html. */
  file?(key: string): string;
  /** The page's data, or undefined when the page has none (an unknown key, a day without messages). */
  load(ctx: SiteContext, key: string): object | undefined;
  view: ViewName;
  /** The page's tables as CSV, from the data `load` gave (csv-pages.ts); none when absent. */
  csv?(data: object): CsvTable[];
  /** Keys of this kind's pages that a change touched. */
  touched(touched: Touched): Iterable<string>;
}

const ONE: readonly string[] = [''];
const one = (): readonly string[] => ONE;
/** A page that shows every change: touched by any. */
const any = (t: Touched): readonly string[] => (t.days.size || t.sessions.size || t.projects.size ? ONE : []);
/** The machines and users pages: one page each, when the index holds two or more of them. */
const team = (names: readonly string[]): readonly string[] => (names.length > 1 ? ONE : []);
const some = <T extends { totals: { messages: number } }>(data: T | undefined): T | undefined =>
  data && data.totals.messages > 0 ? data : undefined;

// In the order a refresh writes them: the pages of what changed first (the ones people are looking at land
// soonest), then the pages that show everything.
export const PAGES = {
  session: {
    keys: (k) => k.sessions,
    href: (id: string) => `/sessions/${pageSlug(id)}/`,
    load: (ctx, id) => loadSession(ctx, id, ctx.lists?.sessionRows),
    view: 'SessionView',
    csv: csv.sessionCsv,
    touched: (t) => t.sessions,
  },
  day: {
    keys: (k) => k.days,
    href: (day: string) => `/days/${day}/`,
    load: (ctx, day) => some(loadDay(ctx, day)),
    view: 'DayView',
    csv: csv.dayCsv,
    touched: (t) => t.days,
  },
  project: {
    keys: (k) => k.projects,
    href: (project: string) => `/projects/${pageSlug(project)}/`,
    load: loadProject,
    view: 'ProjectView',
    csv: csv.projectCsv,
    touched: (t) => t.projects,
  },
  overview: {
    keys: one,
    href: () => '/',
    // The machines and users block (its own loader) is undefined on a single-machine index.
    load: (ctx) => ({ ...loadOverview(ctx), team: loadTeamBreakdown(ctx) }),
    view: 'OverviewView',
    csv: csv.overviewCsv,
    touched: any,
  },
  month: {
    keys: (k) => k.months,
    href: (month: string) => `/months/${month}/`,
    load: (ctx, month) => some(loadMonth(ctx, month)),
    view: 'MonthView',
    csv: csv.monthCsv,
    touched: (t) => t.months,
  },
  sessionMonth: {
    keys: (k) => k.sessionMonths,
    href: (month: string) => `/sessions/months/${month}/`,
    load: (ctx, month) => {
      const data = loadSessions(ctx, month, ctx.lists?.sessionStarts);
      return data.sessions.length ? data : undefined;
    },
    view: 'SessionsView',
    csv: csv.sessionsCsv,
    touched: (t) => t.sessionMonths,
  },
  sessions: {
    keys: one,
    href: () => '/sessions/',
    load: (ctx) => loadSessions(ctx, null, ctx.lists?.sessionStarts),
    view: 'SessionsView',
    csv: csv.sessionsCsv,
    touched: any,
  },
  projects: {
    keys: one,
    href: () => '/projects/',
    load: loadProjects,
    view: 'ProjectsView',
    csv: csv.projectsCsv,
    touched: any,
  },
  days: {
    keys: one,
    href: () => '/days/',
    load: (ctx) => loadPeriods(ctx, 'day'),
    view: 'PeriodsView',
    csv: csv.periodsCsv,
    touched: any,
  },
  weeks: {
    keys: one,
    href: () => '/weeks/',
    load: (ctx) => loadPeriods(ctx, 'week'),
    view: 'PeriodsView',
    csv: csv.periodsCsv,
    touched: any,
  },
  months: {
    keys: one,
    href: () => '/months/',
    load: (ctx) => loadPeriods(ctx, 'month'),
    view: 'PeriodsView',
    csv: csv.periodsCsv,
    touched: any,
  },
  models: {
    keys: one,
    href: () => '/models/',
    load: loadModels,
    view: 'ModelsView',
    csv: csv.modelsCsv,
    touched: any,
  },
  blocks: {
    keys: one,
    href: () => '/blocks/',
    load: loadBlocks,
    view: 'BlocksView',
    csv: csv.blocksCsv,
    touched: any,
  },
  // A refresh renders them after any change; on a single-machine index they have no data and are not written.
  machines: {
    keys: (k) => team(k.machines),
    href: () => '/machines/',
    load: (ctx) => loadTeam(ctx, 'machine'),
    view: 'TeamView',
    csv: csv.teamCsv,
    touched: (t) => (t.team.machines ? any(t) : []),
  },
  users: {
    keys: (k) => team(k.users),
    href: () => '/users/',
    load: (ctx) => loadTeam(ctx, 'user'),
    view: 'TeamView',
    csv: csv.teamCsv,
    touched: (t) => (t.team.users ? any(t) : []),
  },
  // What nginx and `ctm start` answer for a path with no page; no change touches it. Rendered at an address
  // of its own: Astro keeps /404/ for its own error page.
  notFound: {
    keys: one,
    href: () => '/not-found/',
    file: () => '404.html',
    load: (ctx) => ({ tz: ctx.filter.timezone }),
    view: 'NotFoundView',
    touched: () => [],
  },
} satisfies Record<string, PageSpec>;

export type PageKind = keyof typeof PAGES;
export const PAGE_KINDS = Object.keys(PAGES) as PageKind[];

/** One report page: its kind and its key (a day, a month, a project or session key; '' for a kind of one). */
export interface Page {
  kind: PageKind;
  key: string;
}

const spec = (kind: PageKind): PageSpec => PAGES[kind];

/** Every internal link of the site: root-absolute, a page's with a trailing slash (snapshots rewrite them
 * relative). */
export const href = Object.fromEntries(PAGE_KINDS.map((kind) => [kind, PAGES[kind].href])) as {
  [K in PageKind]: (typeof PAGES)[K]['href'];
};

export function pageHref(page: Page): string {
  return spec(page.kind).href(page.key);
}

/** The file of an href below the site's root: its decoded segments and index.html. */
export function hrefFile(path: string): string {
  return [...path.split('/').filter(Boolean).map(decodeURIComponent), 'index.html'].join('/');
}

export function pageFile(page: Page): string {
  const s = spec(page.kind);
  return s.file ? s.file(page.key) : hrefFile(s.href(page.key));
}

/** A file of the site beside a page's HTML: its path relative to the site's root and its content. */
export interface PageFile {
  file: string;
  text: string;
}

/** The CSV files of a page's tables, beside its index.html (named for each table: csv-pages.ts). */
export function pageCsvFiles(page: Page, data: object): PageFile[] {
  const tables = spec(page.kind).csv?.(data) ?? [];
  const dir = pageFile(page).replace(/[^/]*$/, '');
  return tables.map((t) => ({ file: `${dir}${t.name}.csv`, text: toCsv(t.header, t.rows) }));
}

export function loadPage(ctx: SiteContext, page: Page): object | undefined {
  return spec(page.kind).load(ctx, page.key);
}

export function viewOf(page: Page): ViewName {
  return spec(page.kind).view;
}

/** Every page the index has, kind by kind. */
export function allPages(keys: SiteKeys): Page[] {
  return PAGE_KINDS.flatMap((kind) =>
    spec(kind)
      .keys(keys)
      .map((key) => ({ kind, key })),
  );
}

/** The keys a change touched: its days, their months, its sessions and projects, and the session listing's
 * months of its days and of the months its sessions started in (the caller reads those from the index: a
 * session that began last month and goes on today is listed on last month's page), and whether the machines
 * and users pages exist (read from the index too). */
export function touchedKeys(
  changes: { days: Iterable<string>; sessions: Iterable<string>; projects: Iterable<string> },
  sessionStartMonths: Iterable<string> = [],
  team: TeamNav = { machines: false, users: false },
): Touched {
  const days = new Set(changes.days);
  const months = new Set([...days].map((d) => d.slice(0, 7)));
  return {
    days,
    months,
    projects: new Set(changes.projects),
    sessions: new Set(changes.sessions),
    sessionMonths: new Set([...months, ...sessionStartMonths]),
    team,
  };
}

/** The pages a change touched, in the registry's order, each kind's keys sorted. */
export function affectedPages(touched: Touched): Page[] {
  return PAGE_KINDS.flatMap((kind) => [...spec(kind).touched(touched)].sort().map((key) => ({ kind, key })));
}
