// The one way a report page is rendered, by the full build and by the refresh alike: the page's data from its
// loader (pages.ts), drawn by the server bundle's own public request handler (@astrojs/node, middleware
// mode) in this process, with a request and response made here: no port, no loopback, no Astro internals.
import { EventEmitter } from 'node:events';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { pageHref, viewOf, type Page, type ViewName } from '../pages.ts';

/** What the report route (src/pages/[...page].astro) finds in Astro.locals. */
export interface PageLocals {
  ctmPage: { view: ViewName; data: object };
}

/** The bundle's handler as @astrojs/node exports it: (req, res, next, locals). */
export type BundleHandler = (req: unknown, res: unknown, next?: () => void, locals?: object) => unknown;

/** The handler of a server bundle (its entry.mjs), by its real path: a later build swapping the symlink does
 * not change it, and Deno resolves the bundle's sibling files from there. */
export async function loadBundle(entry: string): Promise<BundleHandler> {
  const mod = (await import(pathToFileURL(realpathSync(entry)).href)) as { handler?: BundleHandler };
  if (typeof mod.handler !== 'function')
    throw new Error(`${entry} exports no handler (not an @astrojs/node build?)`);
  return mod.handler;
}

/** The parts of an IncomingMessage the handler reads: a GET with a Host, from loopback. */
function request(path: string): EventEmitter {
  const socket = Object.assign(new EventEmitter(), { remoteAddress: '127.0.0.1', destroyed: false });
  return Object.assign(new EventEmitter(), {
    method: 'GET',
    url: path,
    headers: { host: 'localhost' },
    socket,
  });
}

/** The parts of a ServerResponse the handler writes, collecting the body. */
function response(req: EventEmitter, done: (status: number, body: string) => void, fail: (e: Error) => void) {
  const chunks: Buffer[] = [];
  const res = Object.assign(new EventEmitter(), {
    req,
    statusCode: 200,
    statusMessage: '',
    headersSent: false,
    setHeader: () => res,
    writeHead(status: number) {
      res.statusCode = status;
      res.headersSent = true;
      return res;
    },
    write(chunk: string | Uint8Array, callback?: () => void) {
      chunks.push(Buffer.from(chunk));
      callback?.();
      return true;
    },
    end(chunk?: string | Uint8Array) {
      if (chunk) chunks.push(Buffer.from(chunk));
      res.emit('finish');
      done(res.statusCode, Buffer.concat(chunks).toString('utf8'));
      return res;
    },
    destroy(error?: Error) {
      fail(error ?? new Error('the response was destroyed'));
    },
  });
  return res;
}

/** The handler's answer to a GET of `path` with these locals. */
export function respond(
  handler: BundleHandler,
  path: string,
  locals?: object,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(path);
    const res = response(req, (status, body) => resolve({ status, body }), reject);
    Promise.resolve(handler(req, res, () => reject(new Error(`no route answers ${path}`)), locals)).catch(
      reject,
    );
  });
}

/** A page's HTML from its data. */
export async function renderPage(handler: BundleHandler, page: Page, data: object): Promise<string> {
  const path = pageHref(page);
  const locals: PageLocals = { ctmPage: { view: viewOf(page), data } };
  const { status, body } = await respond(handler, path, locals);
  if (status !== 200) throw new Error(`${path} rendered with HTTP ${status}: ${body.slice(0, 200)}`);
  return body;
}
