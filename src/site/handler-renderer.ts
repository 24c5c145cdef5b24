// Renders report pages in-process with the published build's own server bundle: loads server/entry.mjs's
// `handler` (@astrojs/node middleware mode), serves it on an ephemeral 127.0.0.1 port that only this process
// talks to, and fetches /render/<path>. A page that no longer exists comes back as undefined.
import { createServer, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import { realpathSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { TWIN_PREFIX } from './twin-route.ts';
import type { Config } from '../config.ts';

type NodeHandler = (req: unknown, res: unknown, next?: (err?: unknown) => void, locals?: object) => unknown;

export interface PageRenderer {
  /** HTML of a report path such as `/days/2026-11-21/`, or undefined when the page has no data (404). */
  render(path: string): Promise<string | undefined>;
  close(): Promise<void>;
  entry: string;
}

/** `config` reaches the twin routes as Astro.locals.ctmConfig, so pages render from the caller's data dir. */
export async function createHandlerRenderer(serverEntryPath: string, config?: Config): Promise<PageRenderer> {
  // Resolve the symlink so a later build swapping server-current does not change this renderer underneath.
  const entry = realpathSync(serverEntryPath);
  const mod = (await import(pathToFileURL(entry).href)) as { handler?: NodeHandler };
  const handler = mod.handler;
  if (typeof handler !== 'function')
    throw new Error(`${entry} exports no handler (not an @astrojs/node build?)`);
  const server: Server = createServer((req, res) => {
    handler(
      req,
      res,
      () => {
        res.statusCode = 404;
        res.end();
      },
      config ? { ctmConfig: config } : undefined,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.unref();
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${TWIN_PREFIX}`;
  return {
    entry,
    async render(path) {
      const res = await fetch(base + path);
      const body = await res.text();
      if (res.status === 404) return undefined;
      if (res.status !== 200)
        throw new Error(`rendering ${path} failed: HTTP ${res.status} ${body.slice(0, 200)}`);
      return body;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
