// `ctm start`'s HTTP host in-process, as a DNS-rebinding page or an odd client would reach it: Host headers
// it is not served as get 421, every response carries the same security headers as nginx, TRACE and OPTIONS
// are 405 with Allow, the status page passes the CSP, and the archive lists only complete snapshots.
import { request } from 'node:http';
import { connect } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../log.ts';
import { SECURITY_HEADERS } from './security-headers.ts';
import { startServer, type RunningServer } from './start-server.ts';
import { liveFixture, serverConfig, type LiveFixture } from '../../test/fixtures/live-fixture.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(base: string, path: string, method = 'GET', host?: string): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname, port, path, method, headers: host === undefined ? {} : { host } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function expectSecurityHeaders(answer: Answer, what: string): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS))
    expect(answer.headers[name], what).toBe(value);
}

let fx: LiveFixture;
let server: RunningServer;
const logged: string[] = [];

beforeAll(async () => {
  fx = liveFixture(2);
  const config = serverConfig(fx, { CTM_ALLOWED_HOSTS: 'ctm.example.org, *.lan' });
  server = await startServer(config, createLogger('debug', { write: (line) => logged.push(line) }, true));
  await server.firstPass;
});

afterAll(async () => {
  await server?.close();
  fx?.remove();
});

describe('Host check', () => {
  it.each([
    'attacker.example',
    'attacker.example:51888',
    'localhost.attacker.example',
    '127.0.0.1.nip.io',
    'lan',
    'ctm.example.org.evil',
  ])('Host: %s → 421 on the API, the stream, the live page and the site', async (host) => {
    for (const path of ['/api/v1/live', '/api/v1/health', '/api/v1/stream', '/live/', '/', '/metrics']) {
      const answer = await send(server.url, path, 'GET', host);
      expect(answer.status, `${host} ${path}`).toBe(421);
      expect(answer.body).not.toContain('session-live');
      expectSecurityHeaders(answer, `${host} ${path}`);
    }
  });

  it.each([
    'localhost',
    'LOCALHOST:51888',
    'ctm.localhost:8080',
    '127.0.0.1',
    '127.0.0.1:51888',
    '[::1]:51888',
    '10.1.2.3',
    'ctm.example.org',
    'ctm.example.org.',
    'box.lan:51888',
  ])('Host: %s is served', async (host) => {
    const answer = await send(server.url, '/api/v1/live', 'GET', host);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('session-live');
  });
});

describe('responses', () => {
  it('carry the security headers nginx sends, on the API, errors and the status page', async () => {
    for (const [path, status] of [
      ['/api/v1/health', 200],
      ['/api/v1/usage?groupBy=week', 400],
      ['/no/such/page/', 503],
      ['/live/', 503],
    ] as const) {
      const answer = await send(server.url, path);
      expect(answer.status, path).toBe(status);
      expectSecurityHeaders(answer, path);
    }
  });

  it.each(['TRACE', 'OPTIONS', 'POST', 'DELETE'])(
    '%s → 405 with Allow on the live page, the API and the site, nothing logged as failed',
    async (method) => {
      for (const path of ['/live/', '/live', '/api/v1/live', '/', '/archive/']) {
        const answer = await send(server.url, path, method);
        expect(answer.status, `${method} ${path}`).toBe(405);
        expect(answer.headers.allow).toBe('GET, HEAD');
        expectSecurityHeaders(answer, `${method} ${path}`);
      }
      expect(logged.filter((line) => line.includes('"level":"error"'))).toEqual([]);
    },
  );

  it('the status page has no inline style: its stylesheet is a file the CSP allows', async () => {
    const page = await send(server.url, '/live/');
    expect(page.body).toContain('Building your reports');
    expect(page.body).not.toMatch(/<style|style=/);
    const href = /<link rel="stylesheet" href="([^"]+)">/.exec(page.body)?.[1];
    expect(href).toMatch(/^\/_astro\/ctm-status\.[0-9a-f]+\.css$/);
    const css = await send(server.url, href!);
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.body).toContain('body{');
  });

  it('/archive/archive.css is there before the first snapshot writes it', async () => {
    const css = await send(server.url, '/archive/archive.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.body).toContain('table{');
  });

  it('/archive/ without an index lists the complete snapshots only', async () => {
    const archive = join(fx.dataDir, 'archive');
    for (const id of ['20260101T000000Z', '20260102T000000Z']) {
      mkdirSync(join(archive, id), { recursive: true });
      writeFileSync(join(archive, id, 'index.html'), '<!doctype html><title>old</title>\n');
    }
    writeFileSync(join(archive, '20260101T000000Z.tar.gz'), 'packed');
    writeFileSync(join(archive, '20260102T000000Z.tar.gz.tmp'), 'half');
    const listing = await send(server.url, '/archive/');
    expect(listing.status).toBe(200);
    expect(listing.body).toContain('20260101T000000Z.tar.gz');
    expect(listing.body).not.toContain('20260102T000000Z');
  });
});

describe('odd requests', () => {
  it('HEAD of the stream gets its headers and ends, instead of holding the connection', async () => {
    // Two requests on one connection, as curl sends them: the second is answered once the first has ended.
    const { hostname, port } = new URL(server.url);
    const socket = connect(Number(port), hostname);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.write(
      'HEAD /api/v1/stream HTTP/1.1\r\nHost: localhost\r\n\r\nGET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n',
    );
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the connection hung after: ${text}`)), 3000);
        const check = () => {
          if ((text.match(/^HTTP\/1\.1 200/gm) ?? []).length === 2) {
            clearTimeout(timer);
            resolve();
          }
        };
        socket.on('data', check);
      });
      expect(text).toMatch(/content-type: text\/event-stream/i);
      expect(text).toContain('"status"');
    } finally {
      socket.destroy();
    }
  });

  it('a stream client that stops reading is dropped once 1 MiB waits for it; one that reads gets every event', async () => {
    const { hostname, port } = new URL(server.url);
    const stalled = connect(Number(port), hostname);
    stalled.write('GET /api/v1/stream HTTP/1.1\r\nHost: localhost\r\n\r\n');
    stalled.pause(); // reads nothing: the kernel's buffers fill, then the server's
    const closed = new Promise<void>((resolve) => stalled.once('close', () => resolve()));
    const reader = await fetch(`${server.url}/api/v1/stream`);
    const body = reader.body!.getReader();
    let seen = 0;
    let text = '';
    const reading = (async () => {
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await body.read();
        if (done) return;
        text += decoder.decode(value, { stream: true });
        const parts = text.split('event: bulk\n');
        seen += parts.length - 1;
        text = parts[parts.length - 1]!;
      }
    })();
    const payload = 'x'.repeat(64 * 1024);
    const events = 400; // 25 MiB: more than loopback's socket buffers hold
    try {
      // Both are subscribed (the stream's 'sse' listeners: theirs, and none other in this file's server).
      for (let i = 0; i < 200 && server.rt.bus.listenerCount('sse') < 2; i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(server.rt.bus.listenerCount('sse')).toBeGreaterThanOrEqual(2);
      for (let i = 0; i < events; i++) {
        server.rt.bus.emit('sse', `event: bulk\ndata: ${JSON.stringify({ i, payload })}\n\n`);
        await new Promise((resolve) => setImmediate(resolve));
      }
      const dropped = (): boolean => logged.some((line) => line.includes('stream client dropped: too slow'));
      const deadline = Date.now() + 5000;
      while ((seen < events || !dropped()) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seen).toBe(events);
      expect(dropped()).toBe(true);
      stalled.resume(); // it reads what the kernel held, then finds the connection closed
      await Promise.race([
        closed,
        new Promise((_, reject) => setTimeout(() => reject(new Error('the stalled client was kept')), 5000)),
      ]);
    } finally {
      stalled.destroy();
      await body.cancel();
      await reading.catch(() => undefined);
    }
  });

  it('repeated slashes are one (a leading // is not a host name)', async () => {
    for (const path of ['//api/v1/health', '/\\api/v1/health', '/\\/api//v1/health']) {
      const health = await send(server.url, path);
      expect(health.status, path).toBe(200);
      expect(JSON.parse(health.body), path).toHaveProperty('status');
    }
    const listing = await send(server.url, '//archive//');
    expect(listing.status).toBe(200);
    expect(listing.body).toContain('20260101T000000Z');
  });

  it('/archive redirects to /archive/, whose links are relative to it', async () => {
    for (const path of ['/archive', '/.//archive']) {
      const answer = await send(server.url, path);
      expect(answer.status, path).toBe(301);
      expect(answer.headers.location, path).toBe('/archive/');
    }
  });

  it('a path that does not decode is a 400 that says so, on the dynamic side too', async () => {
    for (const path of ['/live/%ff', '/api/%zz', '/live/%e0%a4']) {
      const answer = await send(server.url, path);
      expect(answer.status, path).toBe(400);
      expect(answer.body, path).toBe('Bad path\n');
    }
  });
});
