// End to end, no proxy: `ctm start` on a fresh data dir with fixture transcripts ingests, shows "building your
// reports…", builds the real site, then serves /live/ (SSR) to chromium under a strict CSP. A line appended to
// the transcript shows on the page within 2 s without a reload, and again after a server restart (the page
// reconnects to the event stream by itself). The page at 1400 and 390 px, light and dark, is saved to
// docs/screenshots/ and checked with axe.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveFixture, type LiveFixture } from '../fixtures/live-fixture.ts';
import { seriousAxeViolations } from './axe-violations.ts';

const BIN = join(import.meta.dirname, '../../bin/ctm.js');
const shots = join(import.meta.dirname, '../../docs/screenshots');
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'";
const port = 20000 + Math.floor(Math.random() * 30000);
const base = `http://127.0.0.1:${port}`;

let fx: LiveFixture;
let server: ChildProcess | undefined;
let browser: Browser;
let page: Page;
const cspViolations: string[] = [];

function startServer(): ChildProcess {
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: {
      ...process.env,
      CTM_CLAUDE_DIR: fx.claudeDir,
      CTM_DATA_DIR: fx.dataDir,
      CTM_PORT: String(port),
      CTM_TZ: 'UTC',
      CTM_REBUILD_CRON: 'off',
      CTM_SNAPSHOT_CRON: 'off',
      CTM_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return child;
}

async function waitFor(
  path: string,
  ok: (status: number, body: string) => boolean,
  ms: number,
): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(base + path);
      const body = await res.text();
      if (ok(res.status, body)) return body;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${path}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopServer(): Promise<void> {
  if (!server || server.exitCode !== null) return;
  const done = new Promise((r) => server!.once('exit', r));
  server.kill('SIGTERM');
  await done;
}

const todayTokens = (p: Page) => p.locator('[data-bind="today.totalTokens"]').textContent();

async function appendAndSee(p: Page): Promise<number> {
  const before = await todayTokens(p);
  const t0 = Date.now();
  fx.append(1);
  await p.waitForFunction(
    (prev) => document.querySelector('[data-bind="today.totalTokens"]')?.textContent !== prev,
    before,
    { timeout: 2000 },
  );
  const ms = Date.now() - t0;
  expect(await todayTokens(p)).toBe((fx.count * fx.tokensPerLine).toLocaleString('en-US'));
  return ms;
}

describe('live page end to end', () => {
  beforeAll(async () => {
    fx = liveFixture(5);
    server = startServer();
    browser = await chromium.launch({
      executablePath: process.env.CTM_CHROMIUM || '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const context = await browser.newContext();
    // The CSP nginx sends, added here to everything but the API (the event stream must not be buffered).
    await context.route(
      (url) => !url.pathname.startsWith('/api/'),
      async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': CSP } });
      },
    );
    page = await context.newPage();
    page.on('console', (m) => {
      if (/content security policy/i.test(m.text())) cspViolations.push(m.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stopServer();
    fx?.remove();
  });

  it('shows "building your reports" on a fresh data dir, then the built site', async () => {
    const building = await waitFor('/', (s) => s === 503 || s === 200, 30_000);
    if (!building.includes('<title>Overview')) expect(building).toContain('Building your reports');
    await waitFor('/', (s) => s === 200, 120_000);
    // The site is live from the symlink swap; the build job reports a moment later, once it has finished
    // (pruning old releases).
    const health = JSON.parse(
      await waitFor('/api/v1/health', (_, body) => JSON.parse(body).last_build_at !== null, 10_000),
    ) as { status: string; last_build_at: string };
    expect(health.status).toBe('ok');
    expect(health.last_build_at).toEqual(expect.any(String));
  });

  it('/live/ renders on the server and updates within 2 s of an append, without a reload', async () => {
    await waitFor('/live/', (s) => s === 200, 30_000);
    await page.goto(`${base}/live/`);
    expect(await todayTokens(page)).toBe((fx.count * fx.tokensPerLine).toLocaleString('en-US'));
    await page.locator('ctm-live[data-state="live"]').waitFor({ timeout: 5000 });
    await page.locator('ctm-chart canvas').first().waitFor({ timeout: 5000 });
    const navigations: string[] = [];
    page.on('framenavigated', (f) => navigations.push(f.url()));
    const ms = await appendAndSee(page);
    expect(ms).toBeLessThan(2000);
    expect(navigations).toEqual([]);
    expect(await page.locator('tbody[data-rows="recent"] tr').count()).toBe(6);
    // The current session's project by its display name, as the report pages name it.
    expect(await page.locator('tbody[data-rows="sessions"] tr td').nth(1).textContent()).toBe('repo');
    expect(cspViolations).toEqual([]);
    // The page refresh (its own worker) rewrites the static day page with the new total.
    const day = new Date().toISOString().slice(0, 10);
    const total = (fx.count * fx.tokensPerLine).toLocaleString('en-US');
    await waitFor(`/days/${day}/`, (s, body) => s === 200 && body.includes(total), 5000);
  });

  it('loads uPlot once: the shared client bundle, and no second copy in its own script', async () => {
    const scripts = async (path: string) => {
      const html = await (await fetch(`${base}${path}`)).text();
      return [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!);
    };
    const live = await scripts('/live/');
    const withUplot: string[] = [];
    for (const src of live) {
      const js = await (await fetch(`${base}${src}`)).text();
      if (js.includes('u-legend') && js.includes('u-over')) withUplot.push(src);
    }
    expect(live.length).toBeGreaterThan(1);
    expect(withUplot).toEqual(await scripts('/'));
  });

  it('saves /live/ at 1400 and 390 px, light and dark, and each passes axe', async () => {
    const failures: string[] = [];
    for (const width of [1400, 390]) {
      for (const scheme of ['light', 'dark'] as const) {
        const context = await browser.newContext({
          viewport: { width, height: width < 600 ? 844 : 900 },
          isMobile: width < 600,
          colorScheme: scheme,
        });
        const p = await context.newPage();
        await p.goto(`${base}/live/`);
        await p.locator('ctm-live[data-state="live"]').waitFor({ timeout: 5000 });
        await p.locator('ctm-chart canvas').first().waitFor({ timeout: 5000 });
        await p.screenshot({ path: join(shots, `live-${width}-${scheme}.png`) });
        const v = await seriousAxeViolations(p);
        if (v.length) failures.push(`${width} ${scheme}: ${v.join(', ')}`);
        await context.close();
      }
    }
    expect(failures).toEqual([]);
  });

  it('reconnects after a server restart and keeps updating', async () => {
    await stopServer();
    await page.locator('ctm-live[data-state="reconnecting"]').waitFor({ timeout: 5000 });
    server = startServer();
    await waitFor('/api/v1/health', (s) => s === 200, 30_000);
    await page.locator('ctm-live[data-state="live"]').waitFor({ timeout: 10_000 });
    const ms = await appendAndSee(page);
    expect(ms).toBeLessThan(2000);
    expect(cspViolations).toEqual([]);
  });
});
