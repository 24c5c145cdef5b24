// The HTTP server of `ctm start`: the published static site from $CTM_DATA_DIR/site/current, the archive
// from $CTM_DATA_DIR/archive, the JSON API, the stream and /metrics from src/server's functions (answerApi),
// and /live/ through the Astro SSR handler; until the first build has produced the SSR handler, pages show
// what is happening (building, or no Claude data found). Every response carries nginx's security headers; a
// Host ctm is not served as gets 421, a method other than GET and HEAD 405.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { ARCHIVE_CSS, archiveIndex } from '../site/archive/archive-index.ts';
import { snapshotEntries } from '../site/archive/snapshot-entries.ts';
import { health, live, metrics, usage, type PlainResponse } from './api-responses.ts';
import { createHostCheck } from './host-check.ts';
import { captureResponse, type CapturedResponse } from './response-capture.ts';
import { isDynamic, routeLabel } from './route-label.ts';
import type { Runtime } from './runtime.ts';
import { SECURITY_HEADERS } from './security-headers.ts';
import { streamToNode } from './sse-stream.ts';
import { createStaticFiles } from './static-files.ts';
import { STATUS_CSS, STATUS_CSS_PATH, statusPage } from './status-page.ts';

export type NodeHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: () => void,
  locals?: object,
) => Promise<void>;

export interface HostOptions {
  rt: Runtime;
  /** The Astro SSR middleware once a build has produced it. */
  ssr: () => Promise<NodeHandler | null>;
}

const API_ROUTES = new Set(['/api/v1/health', '/api/v1/live', '/api/v1/usage', '/api/v1/stream', '/metrics']);

export function writePlain(req: IncomingMessage, res: ServerResponse, p: PlainResponse): void {
  res.writeHead(p.status, { ...p.headers, 'content-length': Buffer.byteLength(p.body) });
  res.end(req.method === 'HEAD' ? undefined : p.body);
}

/**
 * The JSON API, /api/v1/stream and /metrics, answered without the SSR render pipeline (about a millisecond a
 * request). False when the path is not one of them.
 */
export async function answerApi(
  rt: Runtime,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/$/, '') : url.pathname;
  if (!API_ROUTES.has(path)) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    res.end('Method not allowed\n');
    return true;
  }
  if (path === '/api/v1/stream') streamToNode(rt, res, req.method === 'HEAD');
  else if (path === '/api/v1/health') writePlain(req, res, health(rt));
  else if (path === '/api/v1/live') writePlain(req, res, live(rt));
  else if (path === '/api/v1/usage') writePlain(req, res, usage(rt, url));
  else writePlain(req, res, await metrics(rt));
  return true;
}

export function createHttpHost(o: HostOptions): Server {
  const { rt } = o;
  const siteDir = join(rt.config.dataDir, 'site', 'current');
  const archiveDir = join(rt.config.dataDir, 'archive');
  const files = createStaticFiles();
  const hostAllowed = createHostCheck(rt.config);
  let liveHtml: { key: string; page: CapturedResponse } | null = null;

  const plain = (res: ServerResponse, status: number, text: string): void => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(text);
  };
  const redirect = (res: ServerResponse, location: string): void => {
    res.writeHead(301, { location, 'content-type': 'text/plain; charset=utf-8' });
    res.end(`Moved to ${location}\n`);
  };
  const decodes = (path: string): boolean => {
    try {
      decodeURIComponent(path);
      return true;
    } catch {
      return false;
    }
  };

  const placeholder = (res: ServerResponse): void => {
    const noData = rt.status.noDataReason;
    const html = statusPage(
      noData
        ? {
            title: 'No Claude Code data found',
            message: noData,
            detail:
              'ctm keeps checking; reports appear once a projects/ folder with transcripts is readable.',
            refreshSeconds: 10,
          }
        : {
            title: 'Building your reports…',
            message: rt.status.firstPassDone
              ? 'The usage index is ready; the report pages are being built.'
              : 'Reading your Claude Code transcripts into the usage index.',
            ...(rt.status.lastBuildError ? { detail: `Last build failed: ${rt.status.lastBuildError}` } : {}),
            refreshSeconds: 3,
          },
    );
    res.writeHead(503, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'retry-after': '3',
    });
    res.end(html);
  };

  const notFound = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if ((await files.sendFile(req, res, join(siteDir, '404.html'), 404, 'no-store')) === 'served') return;
    plain(res, 404, 'Not found\n');
  };

  // Before the first snapshot writes archive/index.html: the same listing, of the complete snapshots only.
  const archiveListing = (res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(archiveIndex(snapshotEntries(archiveDir)));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const path = url.pathname;
    // Nothing here takes a body or answers TRACE/OPTIONS; the SSR handler would render or throw on them.
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return plain(res, 405, 'Method not allowed\n');
    }
    if (path === STATUS_CSS_PATH) {
      res.writeHead(200, {
        'content-type': 'text/css; charset=utf-8',
        'cache-control': 'public, max-age=31536000, immutable',
      });
      return void res.end(req.method === 'HEAD' ? undefined : STATUS_CSS);
    }
    if (isDynamic(path)) {
      if (await answerApi(rt, req, res, url)) return;
      // A path that does not decode gets the static side's answer, not the SSR handler's blank 400.
      if (!decodes(path)) return plain(res, 400, 'Bad path\n');
      const ssr = await o.ssr();
      if (ssr) {
        const livePage = path === '/live/' && req.method === 'GET';
        const key = `${rt.generation}:${Math.floor(Date.now() / 1000)}:${rt.status.noDataReason}`;
        if (livePage && liveHtml?.key === key) {
          res.writeHead(liveHtml.page.status, {
            ...liveHtml.page.headers,
            'content-length': liveHtml.page.body.length,
          });
          res.end(liveHtml.page.body);
          return;
        }
        if (livePage) captureResponse(res, (page) => page.status === 200 && (liveHtml = { key, page }));
        // The site uses trailingSlash 'always'; the API is documented without one: rewrite, do not redirect.
        if (!path.endsWith('/')) req.url = `${path}/${url.search}`;
        return ssr(req, res, () => void notFound(req, res));
      }
      if (path === '/live/' || path === '/live') return placeholder(res);
      return notFound(req, res);
    }
    // The listing's links are relative to /archive/ (nginx redirects the same way).
    if (path === '/archive') return redirect(res, `/archive/${url.search}`);
    if (path.startsWith('/archive/')) {
      const rest = path.slice('/archive'.length) || '/';
      const result = await files.serve(req, res, archiveDir, rest, path);
      if (result === 'bad-path') return plain(res, 400, 'Bad path\n');
      if (result === 'served') return;
      if (rest === '/') return archiveListing(res);
      // Before the first snapshot writes it: the listing's stylesheet, so the built-in listing is styled too.
      if (rest === '/archive.css') {
        res.writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' });
        return void res.end(req.method === 'HEAD' ? undefined : ARCHIVE_CSS);
      }
      return notFound(req, res);
    }
    if (!existsSync(siteDir)) {
      if (path.startsWith('/_astro/')) return plain(res, 404, 'Not found\n');
      return placeholder(res);
    }
    const result = await files.serve(req, res, siteDir, path, path);
    if (result === 'bad-path') return plain(res, 400, 'Bad path\n');
    if (result === 'not-found') return notFound(req, res);
  };

  return createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    const started = process.hrtime.bigint();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    let url: URL;
    try {
      // `//days/` is a path (slashes merged, as nginx does), not a host name after a scheme-relative `//`.
      url = new URL((req.url ?? '/').replace(/^[/\\]{2,}/, '/'), 'http://localhost');
      if (url.pathname.includes('//')) url.pathname = url.pathname.replace(/\/{2,}/g, '/');
    } catch {
      return plain(res, 400, 'Bad request\n');
    }
    const route = routeLabel(url.pathname);
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      rt.metrics.httpDuration.observe({ route, status: String(res.statusCode) }, seconds);
    });
    if (!hostAllowed(req.headers.host)) {
      return plain(
        res,
        421,
        `Misdirected request: ctm is not served as "${req.headers.host}" (add it to CTM_ALLOWED_HOSTS)\n`,
      );
    }
    handle(req, res, url).catch((error: unknown) => {
      rt.log.error('request failed', { path: url.pathname, error: (error as Error).stack ?? String(error) });
      if (!res.headersSent) plain(res, 500, 'Internal server error\n');
      else res.destroy();
    });
  });
}
