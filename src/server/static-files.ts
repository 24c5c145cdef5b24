// Serves files from a directory that is swapped atomically underneath (the published site, the archive):
// each request opens the file first and answers from that descriptor, so a swap mid-request cannot mix two
// releases. ETag/Last-Modified with 304s, gzip for text (compressed once and kept in a small cache), hashed
// /_astro/ assets cached for a year. Paths with `..`, dotfiles, backslashes or NUL never reach the disk.
import { open, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import { contentType, isCompressible } from './content-types.ts';

const gzip = promisify(gzipCb);
const WHOLE_FILE_MAX = 4 << 20;
const GZIP_CACHE_MAX = 16 << 20;

export type StaticResult = 'served' | 'not-found' | 'bad-path';

/** URL path → safe relative segments, or null when the path tries to leave the root or names a dotfile. */
export function safeSegments(urlPath: string): string[] | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '.' || s === '..' || s.startsWith('.'))) return null;
  return segments;
}

export function createStaticFiles() {
  const gzipCache = new Map<string, Buffer>();
  let gzipBytes = 0;

  const gzipped = async (key: string, body: Buffer): Promise<Buffer> => {
    const hit = gzipCache.get(key);
    if (hit) return hit;
    const out = await gzip(body, { level: 6 });
    gzipCache.set(key, out);
    gzipBytes += out.length;
    for (const [k, v] of gzipCache) {
      if (gzipBytes <= GZIP_CACHE_MAX) break;
      gzipCache.delete(k);
      gzipBytes -= v.length;
    }
    return out;
  };

  /** Serves `file` (an absolute path) with the given status; 'not-found' when it is missing or a directory. */
  const sendFile = async (
    req: IncomingMessage,
    res: ServerResponse,
    file: string,
    status = 200,
    cacheControl?: string,
  ): Promise<StaticResult> => {
    let handle;
    try {
      handle = await open(file, 'r');
    } catch {
      return 'not-found';
    }
    try {
      const st = await handle.stat();
      if (!st.isFile()) return 'not-found';
      const type = contentType(file);
      const etag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
      const headers: Record<string, string | number> = {
        'content-type': type,
        etag,
        'last-modified': st.mtime.toUTCString(),
        'cache-control':
          cacheControl ??
          (file.includes('/_astro/')
            ? 'public, max-age=31536000, immutable'
            : 'public, max-age=0, must-revalidate'),
        'x-content-type-options': 'nosniff',
      };
      // Whether this response is the gzipped one, decided first: a 304 names the validator and Vary the 200
      // would carry. Compressed bytes differ from the plain file's: a weak validator, as nginx gives them.
      const whole = st.size <= WHOLE_FILE_MAX;
      const compressible = whole && isCompressible(type);
      const zip = compressible && st.size > 1024 && acceptsGzip(String(req.headers['accept-encoding'] ?? ''));
      if (compressible) headers.vary = 'Accept-Encoding';
      if (zip) headers.etag = `W/${etag}`;
      if (status === 200) {
        const inm = req.headers['if-none-match'];
        const ims = req.headers['if-modified-since'];
        if (
          (inm !== undefined &&
            inm.split(',').some((t) => t.trim() === '*' || t.trim() === etag || t.trim() === `W/${etag}`)) ||
          (inm === undefined && ims !== undefined && httpDate(ims) >= Math.floor(st.mtimeMs / 1000) * 1000)
        ) {
          const notModified: Record<string, string> = {
            etag: headers.etag as string,
            'last-modified': headers['last-modified'] as string,
          };
          if (compressible) notModified.vary = 'Accept-Encoding';
          res.writeHead(304, notModified);
          res.end();
          return 'served';
        }
      }
      if (whole) {
        let body: Buffer = await handle.readFile();
        if (zip) {
          body = await gzipped(`${file}:${st.ino}:${st.size}:${st.mtimeMs}`, body);
          headers['content-encoding'] = 'gzip';
        }
        headers['content-length'] = body.length;
        res.writeHead(status, headers);
        res.end(req.method === 'HEAD' ? undefined : body);
        return 'served';
      }
      headers['content-length'] = st.size;
      res.writeHead(status, headers);
      if (req.method === 'HEAD') {
        res.end();
        return 'served';
      }
      const stream = handle.createReadStream();
      handle = undefined; // the stream closes it
      await new Promise<void>((resolve) => {
        stream.on('error', () => res.destroy()).on('close', resolve);
        stream.pipe(res);
      });
      return 'served';
    } finally {
      await handle?.close();
    }
  };

  /** Serves urlPath (already stripped of its mount prefix) from root: files, dir/index.html, dir → dir/. */
  const serve = async (
    req: IncomingMessage,
    res: ServerResponse,
    root: string,
    urlPath: string,
    fullPath: string,
  ): Promise<StaticResult> => {
    const segments = safeSegments(urlPath);
    if (!segments) return 'bad-path';
    const target = join(root, ...segments);
    if (urlPath.endsWith('/') || segments.length === 0) {
      return sendFile(req, res, join(target, 'index.html'));
    }
    const result = await sendFile(req, res, target);
    if (result !== 'not-found') return result;
    const st = await stat(target).catch(() => null);
    if (st?.isDirectory()) {
      const q = req.url?.indexOf('?') ?? -1;
      res.writeHead(301, { location: `${fullPath}/${q >= 0 ? req.url!.slice(q) : ''}` });
      res.end();
      return 'served';
    }
    return 'not-found';
  };

  return { serve, sendFile };
}

/** Whether an Accept-Encoding header takes gzip: listed (or `*`) with a weight above 0. */
export function acceptsGzip(header: string): boolean {
  let star: boolean | undefined;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const accepted = q === undefined || Number(q.slice(2)) > 0;
    if (name === 'gzip' || name === 'x-gzip') return accepted;
    if (name === '*') star = accepted;
  }
  return star ?? false;
}

/** An HTTP date (IMF-fixdate, or the obsolete RFC 850 and asctime forms, all of which start with the day) as
 * epoch ms; NaN for anything else, which a condition then ignores. */
export function httpDate(value: string): number {
  return /^(?:mon|tue|wed|thu|fri|sat|sun)/i.test(value) ? Date.parse(value) : NaN;
}
