// Astro integration: splits prerendering between Astro's process and the prerender helper (prerender-helper.ts),
// so a build uses two cores from one `astro build`. `ctm build` starts the helper next to Astro and relays
// messages between them; the helper loads its pages' data while Astro compiles. Once the prerender bundle
// exists, the helper gets its share of the pages (prerender-split.ts) and Astro renders the rest. Astro's build
// waits for the helper and fails if it fails (the last good site stays published). The helper's figures go to
// prerender-helper.json in the build's output.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration, AstroIntegrationLogger, AstroPrerenderer } from 'astro';
import type { HelperMessage, HelperPage, RenderJob, StopHelper } from './prerender-helper.ts';
import { helperRenders } from './prerender-split.ts';

/** The helper's figures (a HelperMessage of type 'done'), in the build's output dir. */
export const HELPER_SUMMARY = 'prerender-helper.json';

type PathWithRoute = Awaited<ReturnType<AstroPrerenderer['getStaticPaths']>>[number];

interface BuildAppLike {
  getOptions(): {
    allPages: Record<string, { key: string; styles: unknown[] }>;
    settings: { scripts: { stage: string }[] };
  };
}

/** The helper as Astro's process sees it: `ctm build` forked it and relays messages over this process's IPC
 * (helper-relay.ts), answering the job once: done, or failed (also when the helper had stopped before). */
class Helper {
  readonly result: Promise<HelperMessage>;

  constructor() {
    this.result = new Promise((resolve) => {
      process.on('message', (m: HelperMessage) => {
        if (m.type === 'done' || m.type === 'failed') resolve(m);
      });
    });
  }

  get alive(): boolean {
    return process.connected;
  }

  send(message: RenderJob | StopHelper): boolean {
    if (!this.alive) return false;
    process.send!(message);
    return true;
  }
}

function split(
  inner: AstroPrerenderer,
  helper: Helper,
  entry: () => string | undefined,
  clientDir: () => URL,
  summaryFile: () => string,
  log: AstroIntegrationLogger,
): AstroPrerenderer {
  let handedOut: PathWithRoute[] = [];
  const fileOf = (pathname: string) =>
    fileURLToPath(
      new URL(`.${encodeURI(pathname.endsWith('/') ? pathname : `${pathname}/`)}index.html`, clientDir()),
    );
  const urlOf = (pathname: string) =>
    new URL(pathname.endsWith('/') ? pathname : `${pathname}/`, 'http://localhost/').href;

  /** The job for the helper, or undefined when it cannot take one (Astro then renders every page). */
  function job(paths: PathWithRoute[]): RenderJob | undefined {
    const file = entry();
    const app = (inner as { app?: BuildAppLike }).app;
    if (!file || !app || !helper.alive) return undefined;
    const { allPages, settings } = app.getOptions();
    // Scripts injected per page need Astro's client bundle map, which a prerenderer does not get.
    if (settings.scripts.some((s) => s.stage === 'page')) return undefined;
    return {
      type: 'render',
      entry: file,
      pagesByKeys: Object.values(allPages).map((p) => [p.key, { key: p.key, styles: p.styles }]),
      scripts: settings.scripts,
      pages: paths.map(({ pathname, route }): HelperPage => ({
        pathname,
        url: urlOf(pathname),
        route: route.route,
        component: route.component,
        file: fileOf(pathname),
      })),
    };
  }

  return {
    name: 'ctm:split-prerender',
    setup: () => inner.setup?.() ?? Promise.resolve(),
    async getStaticPaths() {
      const all = await inner.getStaticPaths();
      const theirs = all.filter((p) => p.route.type === 'page' && helperRenders(p.pathname));
      const j = job(theirs);
      if (!j || !helper.send(j)) {
        helper.send({ type: 'stop' });
        log.warn('prerender helper unavailable; Astro renders every page');
        return all;
      }
      handedOut = theirs;
      const handed = new Set(theirs);
      return all.filter((p) => !handed.has(p));
    },
    render: (request, options) => inner.render(request, options),
    async teardown() {
      const astroDoneAt = Date.now();
      const result = handedOut.length ? await helper.result : undefined;
      await inner.teardown?.();
      if (result?.type === 'failed') throw new Error(`prerender helper failed: ${result.message}`);
      if (result) writeFileSync(summaryFile(), JSON.stringify({ ...result, astroDoneAt }) + '\n');
    },
  };
}

/** On when `ctm build` started a helper for this build (it does where there is a second core). */
export function splitPrerender(
  enabled = process.env.CTM_PRERENDER_HELPER === '1' && typeof process.send === 'function',
): AstroIntegration {
  let helper: Helper | undefined;
  let prerenderEntry: string | undefined;
  let clientDir: URL;
  let outDir: URL;
  return {
    name: 'ctm:split-prerender',
    hooks: {
      'astro:config:setup': ({ command, updateConfig }) => {
        if (!enabled || command !== 'build') return;
        helper = new Helper();
        // ctm build gone: nobody will publish this build, so it stops.
        process.once('disconnect', () => process.exit(1));
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'ctm:prerender-entry',
                // Astro leaves its prerender entry out once a prerenderer is set (an adapter's runtime is then
                // expected to render); this one wraps Astro's default prerenderer, which needs it.
                configEnvironment(name, env) {
                  if (name === 'prerender' && env.build?.rolldownOptions?.input === undefined)
                    return { build: { rolldownOptions: { input: 'astro/entrypoints/prerender' } } };
                },
                writeBundle(output, bundle) {
                  if (this.environment.name !== 'prerender' || !output.dir) return;
                  const chunk = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry);
                  if (chunk) prerenderEntry = join(output.dir, chunk.fileName);
                },
              },
            ],
          },
        });
      },
      'astro:config:done': ({ config }) => {
        clientDir = config.build.client;
        outDir = config.outDir;
      },
      'astro:build:start': ({ setPrerenderer, logger }) => {
        const h = helper;
        if (!h) return;
        setPrerenderer((inner) =>
          split(
            inner,
            h,
            () => prerenderEntry,
            () => clientDir,
            () => fileURLToPath(new URL(HELPER_SUMMARY, outDir)),
            logger,
          ),
        );
      },
    },
  };
}
