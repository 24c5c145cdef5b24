// The prerender helper: a second process of `ctm build`, forked next to `astro build` (build-site.ts relays
// messages between the two). While Astro starts and compiles, it loads the data of the pages it will render
// (prerender-split.ts says which); once Astro's prerender bundle is built, split-prerender.ts sends it the
// exact page list, and it renders those pages with that bundle, as Astro's own prerenderer does, hands each
// page its preloaded data through Astro.locals, and writes the files into the build's output. Messages in: a
// RenderJob (or StopHelper when Astro renders everything itself); out: one HelperMessage.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildContext, staticKeys } from './static-keys.ts';
import { allPages, loadPage, pageHref } from './pages.ts';
import { matchTwinRoute, twinPage } from './twin-route.ts';
import { helperRenders } from './prerender-split.ts';

export interface HelperPage {
  pathname: string;
  url: string;
  route: string;
  component: string;
  /** The file Astro would write the page to. */
  file: string;
}

export interface RenderJob {
  type: 'render';
  /** The prerender bundle's entry (it exports Astro's build app). */
  entry: string;
  /** Each page's stylesheets (Astro's build data, by page key), which the bundle's app puts into <head>. */
  pagesByKeys: [string, { key: string; styles: unknown[] }][];
  scripts: unknown[];
  pages: HelperPage[];
}

export interface StopHelper {
  type: 'stop';
}

export type HelperMessage =
  | {
      type: 'done';
      rendered: number;
      preloaded: number;
      /** Epoch ms: the helper started, got its job (Astro's bundle was built), wrote its last page. */
      startedAt: number;
      jobAt: number;
      finishedAt: number;
    }
  | { type: 'failed'; message: string };

interface BuildApp {
  manifest: { routes: { routeData: { route: string; component: string } }[] };
  setInternals(internals: object): void;
  setOptions(options: object): void;
  render(request: Request, options: { routeData: object; locals: object }): Promise<Response>;
}

/** A page's key: its path in the form the twin routes and href.* use (each segment URI-encoded, trailing
 * slash), from Astro's pathname, whose parameters are raw. */
/** A page's data as the prerendered page would load it (with the build's session lists). */
function loadByKey(key: string): object | undefined {
  const match = matchTwinRoute(key);
  const ctx = buildContext();
  const page = match && twinPage(ctx.db, match);
  return page && loadPage(ctx, page);
}

const pageKey = (pathname: string) =>
  (pathname.endsWith('/') ? pathname : `${pathname}/`).split('/').map(encodeURIComponent).join('/');

/** The keys of the pages this helper will be asked for, as far as the index tells (their pathnames as Astro
 * has them: parameters raw); the real list comes with the job. */
function expectedPages(): string[] {
  return allPages(staticKeys())
    .map(pageHref)
    .filter((pathname) => helperRenders(pathname))
    .map(pageKey);
}

async function openApp(job: RenderJob): Promise<{ app: BuildApp; routes: Map<string, object> }> {
  const { app } = (await import(pathToFileURL(job.entry).href)) as { app: BuildApp };
  app.setInternals({ pagesByKeys: new Map(job.pagesByKeys), entrySpecifierToBundleMap: new Map() });
  app.setOptions({
    settings: { scripts: job.scripts },
    logger: {
      options: {
        destination: {
          write(event: { level: string; label?: string | null; message: string }) {
            if (event.level === 'error' || event.level === 'warn')
              process.stderr.write(`[prerender helper] ${event.label ?? ''} ${event.message}\n`);
            return true;
          },
        },
      },
    },
  });
  const routes = new Map<string, object>();
  for (const { routeData } of app.manifest.routes)
    routes.set(`${routeData.route}\0${routeData.component}`, routeData);
  return { app, routes };
}

async function run(): Promise<void> {
  const startedAt = Date.now();
  const data = new Map<string, object>();
  let job: RenderJob | undefined;
  const jobArrived = new Promise<RenderJob>((resolve) => {
    process.on('message', (message: RenderJob | StopHelper) => {
      if (message.type === 'render') resolve((job = message));
      else process.exit(0);
    });
  });
  // Preload until the job arrives, one page per turn of the event loop so the job is seen at once.
  for (const path of expectedPages()) {
    if (job) break;
    const page = loadByKey(path);
    if (page) data.set(path, page);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const { pages, ...rest } = await jobArrived;
  const jobAt = Date.now();
  const preloaded = pages.filter((p) => data.has(pageKey(p.pathname))).length;
  const { app, routes } = await openApp({ pages, ...rest });
  // Pages with their data ready first.
  const ordered = [...pages].sort(
    (a, b) => Number(data.has(pageKey(b.pathname))) - Number(data.has(pageKey(a.pathname))),
  );
  for (const page of ordered) {
    const path = pageKey(page.pathname);
    const ctmPage = data.get(path) ?? loadByKey(path);
    data.delete(path);
    const routeData = routes.get(`${page.route}\0${page.component}`);
    if (!routeData) throw new Error(`no route ${page.route} in the prerender bundle`);
    const response = await app.render(new Request(page.url), {
      routeData,
      locals: ctmPage ? { ctmPage } : {},
    });
    if (response.status !== 200) throw new Error(`${page.pathname} rendered with HTTP ${response.status}`);
    mkdirSync(dirname(page.file), { recursive: true });
    writeFileSync(page.file, await response.text());
  }
  process.send!({
    type: 'done',
    rendered: pages.length,
    preloaded,
    startedAt,
    jobAt,
    finishedAt: Date.now(),
  } satisfies HelperMessage);
}

// Astro's process gone (its build failed or finished): nothing left to render for.
process.on('disconnect', () => process.exit(0));
run().then(
  () => process.disconnect(),
  (error: unknown) => {
    process.send?.({
      type: 'failed',
      message: (error as Error)?.stack ?? String(error),
    } satisfies HelperMessage);
    process.exitCode = 1;
    process.disconnect();
  },
);
