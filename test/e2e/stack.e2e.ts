// The deployment end to end: a fixture Claude dir → `ctm start` → the repo's nginx config → chromium. Pages,
// live updates, health, the /metrics allow list, security and cache headers, archived snapshots and refused
// paths, all through nginx as a user would reach them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { request } from 'node:http';
import { statusPage } from '../../src/server/status-page.ts';
import { FIXTURE, rawGet, startHarness, type Harness } from './stack-harness.ts';

let h: Harness;

/** A request with a Host header and method of our choosing (fetch sets Host itself and refuses TRACE). */
function send(base: string, path: string, o: { host?: string; method?: string } = {}) {
  const { hostname, port } = new URL(base);
  return new Promise<{ status: number; allow?: string; body: string }>((resolve, reject) => {
    const req = request(
      { hostname, port, path, method: o.method ?? 'GET', headers: o.host ? { host: o.host } : {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, allow: res.headers.allow, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

/** Opens a page, recording Content-Security-Policy violations and script errors. */
async function open(path: string): Promise<{ page: Page; problems: string[] }> {
  const page = await h.browser.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`${res.status()} ${res.url()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const response = await page.goto(`${h.url}${path}`);
  expect(response?.status(), path).toBe(200);
  return { page, problems };
}

describe('through nginx', () => {
  it('answers the health check with 200 and the indexed message count', async () => {
    const res = await fetch(`${h.url}/api/v1/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; db: { ok: boolean; messages: number } };
    expect(body.status).toBe('ok');
    expect(body.db).toMatchObject({ ok: true, messages: FIXTURE.messages });
  });

  it('renders the overview with its chart canvas and the fixture totals, within the CSP', async () => {
    const { page, problems } = await open('/');
    await page.locator('canvas').first().waitFor({ state: 'visible', timeout: 10_000 });
    const allTime = page.locator('section[aria-label="All time"]');
    await expect.poll(() => allTime.textContent()).toContain(FIXTURE.cost);
    const text = (await allTime.textContent()) ?? '';
    expect(text).toContain(`${FIXTURE.totalTokens.toLocaleString('en-US')} tokens`);
    expect(text).toContain(FIXTURE.inputTokens.toLocaleString('en-US'));
    expect(text).toContain(FIXTURE.outputTokens.toLocaleString('en-US'));
    expect(problems).toEqual([]);
    await page.close();
  });

  it('navigates from the days listing to a day, a session and its project', async () => {
    const { page, problems } = await open('/days/');
    await page.locator(`main a[href="/days/${h.firstDay}/"]`).first().click();
    await page.waitForURL(`${h.url}/days/${h.firstDay}/`);
    await expect.poll(() => page.locator('h1').textContent()).toBeTruthy();
    await page.locator('main a[href^="/sessions/alpha-session-"]').first().click();
    await page.waitForURL(/\/sessions\/alpha-session-\d\/$/);
    expect(await page.locator('main').textContent()).toContain('claude-sonnet-4-5');
    await page.locator('main a[href^="/projects/"]').first().click();
    await page.waitForURL(`${h.url}/projects/${encodeURIComponent(FIXTURE.projects[0].dir)}/`);
    expect(await page.locator('main').textContent()).toContain('alpha');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('updates /live/ within 2 s of a line appended to a transcript', async () => {
    const { page, problems } = await open('/live/');
    await page.locator('ctm-live[data-state="live"]').waitFor({ timeout: 10_000 });
    const today = page.locator('[data-bind="today.totalTokens"]');
    const before = (await today.textContent())?.trim();
    const started = Date.now();
    h.appendRequest('msg_live_append', 1234, 766);
    await page.waitForFunction(
      (prev) => document.querySelector('[data-bind="today.totalTokens"]')?.textContent?.trim() !== prev,
      before,
      { timeout: 5_000, polling: 20 },
    );
    const elapsed = Date.now() - started;
    expect((await today.textContent())?.trim()).toBe('2,000');
    expect(elapsed).toBeLessThanOrEqual(2_000);
    console.log(`live page updated ${elapsed} ms after the append`);
    expect(problems).toEqual([]);
    await page.close();
    // The static overview behind nginx is refreshed on disk too: 62,000 tokens all time now.
    await expect
      .poll(async () => (await fetch(`${h.url}/`)).text(), { timeout: 3_000, interval: 100 })
      .toContain(`${(FIXTURE.totalTokens + 2_000).toLocaleString('en-US')} tokens`);
  });

  it('streams server-sent events through nginx without buffering', async () => {
    const controller = new AbortController();
    const res = await fetch(`${h.url}/api/v1/stream`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const { value } = await Promise.race([
      reader.read(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no event within 2 s')), 2_000)),
    ]);
    expect(new TextDecoder().decode(value)).toContain('event: hello');
    controller.abort();
  });

  it('serves /metrics to internal networks only', async () => {
    const inside = await fetch(`${h.url}/metrics`);
    expect(inside.status).toBe(200);
    expect(await inside.text()).toMatch(/^ctm_info\{version="[^"]+"\} 1$/m);
    // The same config with an allow list that excludes loopback: this client is now "outside".
    const outsideUrl = await h.extraNginx('10.0.0.0/8 192.168.0.0/16');
    const outside = await fetch(`${outsideUrl}/metrics`);
    expect(outside.status).toBe(403);
    expect(await outside.text()).not.toContain('ctm_');
    // Everything else stays reachable from there.
    expect((await fetch(`${outsideUrl}/api/v1/health`)).status).toBe(200);
  });

  it('rate-limits /api/ per client and leaves the pages alone', async () => {
    // A separate nginx (its own limit zone) so the other tests keep their budget.
    const url = await h.extraNginx('127.0.0.0/8');
    const burst = await Promise.all(
      Array.from({ length: 200 }, () => fetch(`${url}/api/v1/health`).then((r) => r.status)),
    );
    const ok = burst.filter((status) => status === 200).length;
    const limited = burst.filter((status) => status === 429).length;
    expect(ok + limited).toBe(200);
    expect(ok).toBeGreaterThanOrEqual(40);
    expect(limited).toBeGreaterThan(0);
    expect((await fetch(`${url}/`)).status).toBe(200);
  });

  it('sends the security headers on pages, API responses and errors', async () => {
    for (const path of ['/', '/live/', '/api/v1/health', '/no-such-page/']) {
      const res = await fetch(`${h.url}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("style-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toContain('unsafe-inline');
      expect(csp, path).not.toContain(', default-src'); // one policy, not nginx's and the app's
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('permissions-policy'), path).toContain('camera=()');
      expect(res.headers.get('server'), path).toBe('nginx');
    }
    const missing = await fetch(`${h.url}/no-such-page/`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('<html');
  });

  it('answers 421 to a Host it is not served as, through nginx and at the app itself', async () => {
    for (const base of [h.url, h.stack.appUrl]) {
      for (const path of ['/api/v1/live', '/api/v1/health', '/live/', '/']) {
        const res = await send(base, path, { host: 'attacker.example' });
        expect(res.status, `${base}${path}`).toBe(421);
        expect(res.body).not.toContain('sessionId');
      }
      expect((await send(base, '/api/v1/live', { host: 'localhost' })).status).toBe(200);
    }
  });

  it('answers TRACE and OPTIONS on /live/ with 405 and Allow, without an error in the log', async () => {
    const options = await send(h.url, '/live/', { method: 'OPTIONS' });
    expect([options.status, options.allow]).toEqual([405, 'GET, HEAD']);
    // nginx refuses TRACE itself; the app, with its SSR bundle loaded, must too.
    expect((await send(h.url, '/live/', { method: 'TRACE' })).status).toBe(405);
    for (const method of ['TRACE', 'OPTIONS']) {
      const res = await send(h.stack.appUrl, '/live/', { method });
      expect([res.status, res.allow], method).toEqual([405, 'GET, HEAD']);
      expect(res.body).not.toContain('<html');
    }
    expect(h.output.filter((line) => line.includes('request failed'))).toEqual([]);
  });

  it('shows the "Building…" page styled and within the CSP', async () => {
    const page = await h.browser.newPage();
    const problems: string[] = [];
    page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    // The page as the app serves it before the first build, under nginx's origin and headers.
    await page.route(`${h.url}/`, async (route) => {
      const response = await route.fetch();
      await route.fulfill({
        response,
        body: statusPage({ title: 'Building your reports…', message: 'Reading.', refreshSeconds: 3 }),
      });
    });
    await page.goto(`${h.url}/`);
    await expect
      .poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor))
      .toMatch(/^rgb\((246, 247, 249|20, 23, 28)\)$/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('caches hashed assets for a year, revalidates HTML, compresses text', async () => {
    const html = await fetch(`${h.url}/`, { headers: { 'accept-encoding': 'gzip' } });
    expect(html.headers.get('cache-control')).toBe('no-cache');
    expect(html.headers.get('content-encoding')).toBe('gzip');
    const asset = /\/_astro\/[^"]+\.js/.exec(await html.text())?.[0];
    expect(asset).toBeDefined();
    const res = await fetch(`${h.url}${asset}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const missing = await fetch(`${h.url}/_astro/no-such-asset.0000.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).not.toContain('immutable');
    const tarball = await fetch(`${h.url}/archive/no-such-snapshot.tar.gz`);
    expect(tarball.status).toBe(404);
    expect(tarball.headers.get('cache-control')).not.toContain('max-age');
  });

  it('browses an archived snapshot and offers its tarball', async () => {
    const current = await open('/');
    const allTimeNow = await current.page.locator('section[aria-label="All time"]').textContent();
    await current.page.close();
    const out = h.ctm(['snapshot']);
    const id = /snapshot (\S+):/.exec(out)?.[1];
    expect(id, out).toBeDefined();
    const listing = await fetch(`${h.url}/archive/`);
    expect(listing.status).toBe(200);
    const text = await listing.text();
    expect(text).toContain(id);
    expect(text).toContain(`${id}.tar.gz`);
    const { page, problems } = await open(`/archive/${id}/`);
    await page.locator('canvas').first().waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.locator('section[aria-label="All time"]').textContent()).toBe(allTimeNow);
    await page.locator('a[href*="days/"]').first().click();
    await page.waitForURL(new RegExp(`/archive/${id}/days/`));
    expect(problems).toEqual([]);
    await page.close();
    const inside = await fetch(`${h.url}/archive/${id}/_astro/`);
    expect(inside.status).toBe(404); // never a directory listing
    expect(await inside.text()).not.toContain('Index of');
    const tarball = await fetch(`${h.url}/archive/${id}.tar.gz`);
    expect(tarball.status).toBe(200);
    expect(Buffer.from(await tarball.arrayBuffer()).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });

  it.each([
    '/../../../../etc/passwd',
    '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/archive/../ctm.db',
    '/archive/..%2f..%2fctm.db',
    '/archive/%2e%2e/ctm.db',
    '/archive../ctm.db',
    '/ctm.db',
    '/.env',
    '/days/.hidden',
    '/render/',
    '/_render/days/',
  ])('refuses %s', async (path) => {
    const res = await rawGet(h.url, path);
    // 400 when nginx sees the path climb above the root, 404 when it resolves to nothing servable.
    expect([400, 404]).toContain(res.status);
    expect(res.body).not.toContain('SQLite format');
    expect(res.body).not.toContain('root:x:0:0');
  });
});

afterAll(() => {
  // Keeps the stack's own log with the run when something failed.
  if (h && process.env.CTM_E2E_LOG) console.log(h.output.join('\n'));
});
