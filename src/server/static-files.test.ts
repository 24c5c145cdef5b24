import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acceptsGzip, createStaticFiles, httpDate, safeSegments } from './static-files.ts';

describe('safeSegments', () => {
  it.each([
    ['/', []],
    ['/days/2026-01-01/', ['days', '2026-01-01']],
    ['/_astro/app.1234.js', ['_astro', 'app.1234.js']],
    ['/a%20b/', ['a b']],
  ])('%s is served from %j', (path, segments) => {
    expect(safeSegments(path)).toEqual(segments);
  });

  it.each([
    '/../etc/passwd',
    '/%2e%2e/etc/passwd',
    '/a/%2E%2E/%2E%2E/x',
    '/.git/config',
    '/.env',
    '/a%5c..%5cb',
    '/a%00b',
    '/%E0%A4%A',
  ])('%s is refused', (path) => {
    expect(safeSegments(path)).toBeNull();
  });
});

describe('acceptsGzip', () => {
  it.each([
    ['gzip', true],
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.8', true],
    ['GZIP', true],
    ['x-gzip', true],
    ['*', true],
    ['br, *;q=0.5', true],
    ['gzip;q=0', false],
    ['gzip;q=0.000', false],
    ['*;q=0', false],
    ['gzip;q=0, *', false],
    ['gzip-nope', false],
    ['identity', false],
    ['', false],
  ])('%j → %s', (header, want) => {
    expect(acceptsGzip(header)).toBe(want);
  });
});

describe('httpDate', () => {
  it('reads the three forms HTTP allows and nothing else', () => {
    const t = Date.UTC(1994, 10, 6, 8, 49, 37);
    expect(httpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(t);
    expect(httpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(t);
    expect(httpDate('Sun Nov  6 08:49:37 1994')).toBeGreaterThan(0);
    for (const bad of ['99999', '2030', '', 'tomorrow', '2030-01-01T00:00:00Z'])
      expect(httpDate(bad)).toBeNaN();
  });
});

describe('static files over HTTP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctm-static-'));
  writeFileSync(join(dir, 'index.html'), `<!doctype html><title>x</title>${'<p>days</p>'.repeat(400)}\n`);
  const files = createStaticFiles();
  const server = createServer((req, res) => void files.serve(req, res, dir, req.url!, req.url!));
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const get = async (headers: Record<string, string>) => {
    const res = await fetch(`${base}/index.html`, { headers: { 'accept-encoding': 'identity', ...headers } });
    await res.arrayBuffer();
    return {
      status: res.status,
      encoding: res.headers.get('content-encoding'),
      etag: res.headers.get('etag'),
    };
  };

  it('gzips only for a client that takes it, with a weak validator of its own', async () => {
    const plain = await get({});
    expect(plain).toMatchObject({ status: 200, encoding: null });
    expect(plain.etag).toMatch(/^"/);
    expect(await get({ 'accept-encoding': 'gzip;q=0' })).toMatchObject({ encoding: null });
    expect(await get({ 'accept-encoding': 'gzip-nope' })).toMatchObject({ encoding: null });
    const zipped = await get({ 'accept-encoding': 'gzip' });
    expect(zipped).toMatchObject({ status: 200, encoding: 'gzip', etag: `W/${plain.etag}` });
    // Either validator revalidates (the file is the same); the 304 names the validator its 200 would carry.
    expect(await get({ 'if-none-match': zipped.etag!, 'accept-encoding': 'gzip' })).toMatchObject({
      status: 304,
      etag: zipped.etag,
    });
    expect(await get({ 'if-none-match': plain.etag! })).toMatchObject({ status: 304, etag: plain.etag });
  });

  it('If-None-Match: * matches a file that exists; an If-Modified-Since that is no HTTP date is ignored', async () => {
    expect((await get({ 'if-none-match': '*' })).status).toBe(304);
    expect((await get({ 'if-modified-since': '99999' })).status).toBe(200);
    expect((await get({ 'if-modified-since': '2030' })).status).toBe(200);
    expect((await get({ 'if-modified-since': new Date(Date.now() + 86_400_000).toUTCString() })).status).toBe(
      304,
    );
    expect((await get({ 'if-modified-since': 'Mon, 01 Jan 2001 00:00:00 GMT' })).status).toBe(200);
  });
});
