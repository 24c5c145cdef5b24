// The report site end to end: a fixture index → `buildSite` (real astro build, atomic publish) → served from
// site/current → chromium. Checks the overview's chart and totals, navigation across day, session and project
// pages, axe, every page the same whether the build or the refresh rendered it, an incremental refresh
// through the build's own server bundle, a failed build keeping the last good site, and an archived snapshot
// opened from file:// (each page marked with its time, no link leading out of the archive or to a missing file).
// Saves the screenshots in docs/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  existsSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDb } from '../../src/db/open.ts';
import { silentLogger } from '../../src/log.ts';
import { buildSite, BuildError } from '../../src/site/build/build-site.ts';
import { createRefresher, siteRefresh } from '../../src/site/refresh/refresh-pages.ts';
import { serverEntry, sitePaths } from '../../src/site/site-paths.ts';
import { snapshotSite } from '../../src/site/archive/snapshot-site.ts';
import { snapshotTime } from '../../src/site/archive/snapshot-page.ts';
import { listFiles, snapshotEntries } from '../../src/site/archive/snapshot-entries.ts';
import { allPages, pageFile, siteKeys } from '../../src/site/pages.ts';
import { openSiteContext } from '../../src/site/site-context.ts';
import { loadBundle } from '../../src/site/build/render-page.ts';
import { formatInt, formatUsd } from '../../src/format/number.ts';
import { ChangeSet } from '../../src/db/change-set.ts';
import { insertUsageRows, syntheticRows } from '../fixtures/seed-usage-db.ts';
import { serveStaticDir } from './static-site-server.ts';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const docs = new URL('../../docs/', import.meta.url);
const today = new Date().toISOString().slice(0, 10);

let dataDir: string;
let config: Config;
let browser: Browser;
let server: Awaited<ReturnType<typeof serveStaticDir>>;
let expected: { tokens: number; cost: number; messages: number };
let firstBuild: Awaited<ReturnType<typeof buildSite>>;

function totalsFromDb(): { tokens: number; cost: number; messages: number } {
  const db = openDb(config.dbPath, { readonly: true });
  const row = db
    .prepare(
      'SELECT sum(total_tokens) AS tokens, sum(cost_calc_usd) AS cost, count(*) AS messages FROM messages WHERE superseded = 0',
    )
    .get() as { tokens: number; cost: number; messages: number };
  db.close();
  return row;
}

async function open(path: string, scheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: scheme });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  (page as unknown as { errors: string[] }).errors = errors;
  await page.goto(server.url + path);
  return page;
}

async function seriousAxeViolations(page: Page): Promise<string[]> {
  // Evaluated through the devtools protocol: the page's CSP (rightly) refuses an injected inline script.
  await page.evaluate(readFileSync(axePath, 'utf8'));
  const result = (await page.evaluate(() =>
    (
      window as unknown as {
        axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
      }
    ).axe.run(),
  )) as { violations: { id: string; impact: string; nodes: unknown[] }[] };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.nodes.length})`);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ctm-site-e2e-'));
  config = loadConfig({ CTM_DATA_DIR: dataDir, CTM_TZ: 'UTC', CTM_LOG_LEVEL: 'warn' });
  const db = openDb(config.dbPath);
  const rows = syntheticRows({
    endDay: today,
    days: 75,
    projects: 6,
    sessions: 160,
    requestsPerSession: 30,
    seed: 7,
  });
  // Shift the history so its last request was a few minutes ago: today has usage and a block is active.
  const now = Date.now();
  const shift = now - 5 * 60_000 - Math.max(...rows.map((r) => r.ts));
  const past = rows.map((r) => ({ ...r, ts: r.ts + shift }));
  past.push({
    ...past[0]!,
    sessionId: 'prototype-session',
    agentId: null,
    ts: now - 120_000,
    model: 'claude-prototype-x',
    input: 10,
    output: 10,
  });
  insertUsageRows(db, past);
  db.close();
  expected = totalsFromDb();
  firstBuild = await buildSite(config, silentLogger);
  expect(firstBuild.pages).toBeGreaterThan(100);
  // The same policy nginx sends: only the site's own scripts and styles.
  server = await serveStaticDir(() => realpathSync(sitePaths(dataDir).current), {
    'content-security-policy':
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
  });
  browser = await chromium.launch({
    executablePath: process.env.CTM_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('report site', () => {
  it('overview shows its chart and the right all-time totals, and says the timezone', async () => {
    const page = await open('/');
    await page.waitForSelector('ctm-chart canvas');
    const allTime = page.locator('section.stat', { hasText: 'All time' });
    await expect(allTime.locator('.big').textContent()).resolves.toBe(formatUsd(expected.cost));
    await expect(allTime.textContent()).resolves.toContain(`${formatInt(expected.tokens)} tokens`);
    await expect(allTime.textContent()).resolves.toContain(formatInt(expected.messages));
    await expect(page.locator('.tz').textContent()).resolves.toContain('UTC');
    await expect(page.locator('.warn').textContent()).resolves.toContain('claude-prototype-x');
    await page.screenshot({ path: new URL('overview.png', docs).pathname, fullPage: true });
    // The legend shows exact values for the hovered day; the data table holds every figure.
    const box = (await page.locator('ctm-chart .u-over').boundingBox())!;
    await page.mouse.move(box.x + box.width - 5, box.y + box.height / 2);
    await expect(page.locator('ctm-chart .u-legend').textContent()).resolves.toMatch(/\$\d/);
    await expect(page.locator('figure details table tbody tr').count()).resolves.toBe(90);
    expect((page as unknown as { errors: string[] }).errors).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    const dark = await open('/', 'dark');
    await dark.waitForSelector('ctm-chart canvas');
    await dark.screenshot({ path: new URL('overview-dark.png', docs).pathname });
    await dark.close();
    await page.close();
  });

  it('navigates overview → day → session → project, each page accessible', async () => {
    const page = await open('/');
    await page.locator('section.stat', { hasText: 'Today' }).getByRole('link').click();
    await page.waitForURL(`**/days/${today}/`);
    await expect(page.locator('h1').textContent()).resolves.toMatch(/\d{4}$/);
    await page.waitForSelector('ctm-chart canvas');
    await page.screenshot({ path: new URL('day.png', docs).pathname, fullPage: true });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.locator('td.id a', { hasNotText: 'prototyp' }).first().click();
    await page.waitForURL('**/sessions/*/');
    await expect(page.locator('h1').textContent()).resolves.toContain('Session');
    await page.waitForSelector('ctm-chart canvas');
    await page.screenshot({ path: new URL('session.png', docs).pathname, fullPage: true });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.locator('.meta a').first().click();
    await page.waitForURL('**/projects/*/');
    await expect(page.locator('.lede').textContent()).resolves.toMatch(/^\/home\/dev\/app-\d\d$/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    // Listing pages sort client-side and pass axe as well.
    await page.goto(server.url + '/sessions/');
    await page.locator('th button.sort', { hasText: 'Cost' }).click();
    await expect(page.locator('th[aria-sort]').getAttribute('aria-sort')).resolves.toBe('ascending');
    expect(await seriousAxeViolations(page)).toEqual([]);
    for (const path of ['/days/', '/weeks/', '/months/', '/projects/', '/models/', '/blocks/', '/nope/']) {
      await page.goto(server.url + path);
      expect(await seriousAxeViolations(page), path).toEqual([]);
    }
    await page.close();
  });

  it('fits a phone screen', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await page.goto(server.url + '/');
    await page.waitForSelector('ctm-chart canvas');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });

  it('renders every page byte for byte the same by the build and by the refresh, but for the clock', async () => {
    // The build read one snapshot through its summary of the index, in one process per core; the refresh
    // reads the messages as they are, here in this process: the same renderer over the same bundle.
    expect(firstBuild.render.processes.reduce((n, p) => n + p.written, 0)).toBe(firstBuild.pages);
    const site = realpathSync(sitePaths(dataDir).current);
    const clockless = (html: string) =>
      html
        .replace(/page generated [0-9-]+ [0-9:]+/, '')
        .replace(/<section class="panel" aria-labelledby="block-h">.*?<\/section>/s, '');
    const ctx = openSiteContext(config, false);
    try {
      const { render } = siteRefresh(ctx, await loadBundle(serverEntry(dataDir)), silentLogger);
      const pages = allPages(siteKeys(ctx));
      expect(pages.length).toBe(firstBuild.pages);
      const files = readdirSync(site, { recursive: true, encoding: 'utf8' }).filter((f) =>
        f.endsWith('.html'),
      );
      expect(files.sort()).toEqual(pages.map(pageFile).sort());
      const differing: string[] = [];
      for (const page of pages) {
        const html = (await render(page))?.html;
        if (clockless(html ?? '') !== clockless(readFileSync(join(site, pageFile(page)), 'utf8')))
          differing.push(pageFile(page));
      }
      expect(differing).toEqual([]);
    } finally {
      ctx.db.close();
    }
  });

  it('refreshes the affected pages after a new message, through the build’s server bundle', async () => {
    const ctx = openSiteContext(config, false);
    const refresher = createRefresher({
      siteDir: sitePaths(dataDir).root,
      log: silentLogger,
      ...siteRefresh(ctx, await loadBundle(serverEntry(dataDir)), silentLogger),
    });
    const db = openDb(config.dbPath);
    const ts = Date.now() - 30_000;
    insertUsageRows(db, [
      {
        ts,
        model: 'claude-sonnet-4-5-20250929',
        sessionId: 'fresh-session',
        project: '-home-dev-app-01',
        cwd: '/home/dev/app-01',
        input: 1_234_567,
        output: 1,
      },
    ]);
    db.close();
    const changes = new ChangeSet();
    changes.add(today, new Date(ts).getUTCHours(), 'fresh-session', '-home-dev-app-01');
    const result = await refresher.refresh(changes);
    ctx.db.close();
    expect(result.failed).toBe(0);
    expect(result.written).toBe(result.pages.length);
    const now = totalsFromDb();
    const page = await open('/');
    await expect(page.locator('section.stat', { hasText: 'All time' }).textContent()).resolves.toContain(
      `${formatInt(now.tokens)} tokens`,
    );
    await page.goto(server.url + '/sessions/fresh-session/');
    await expect(page.locator('h1').textContent()).resolves.toContain('fresh-se');
    await page.close();
  });

  it('keeps the last good site when a build fails', async () => {
    const paths = sitePaths(dataDir);
    const before = readlinkSync(paths.current);
    renameSync(config.dbPath, config.dbPath + '.away');
    try {
      await expect(buildSite(config, silentLogger)).rejects.toThrow(BuildError);
    } finally {
      renameSync(config.dbPath + '.away', config.dbPath);
    }
    expect(readlinkSync(paths.current)).toBe(before);
    expect(existsSync(join(paths.current, 'index.html'))).toBe(true);
  });

  it('archives a snapshot that works from file://, sharing unchanged files with the previous one', async () => {
    const first = await snapshotSite(config, Date.now() - 60_000);
    const second = await snapshotSite(config);
    const pages = listFiles(second.dir).filter((f) => f.endsWith('.html'));
    // The same site twice: only the pages differ, by their snapshot mark; every other file is shared.
    expect(second.linked).toBe(second.files - pages.length);
    const archive = sitePaths(dataDir).archive;
    const taken = snapshotTime(snapshotEntries(archive).find((e) => e.id === second.id)!.takenAt);
    for (const file of pages) {
      const html = readFileSync(join(second.dir, file), 'utf8');
      expect(html, file).toContain(`role="note">Snapshot of ${taken}:`);
      for (const [, link] of html.matchAll(/\b(?:href|src)="(?![a-z]+:|\/\/|#)([^"#?]*)/g)) {
        const target = join(second.dir, file, '..', link!);
        expect(target.startsWith(archive) && existsSync(target), `${file} → ${link}`).toBe(true);
      }
    }
    expect(statSync(join(second.dir, '_astro')).isDirectory()).toBe(true);
    expect(existsSync(second.tarball)).toBe(true);
    const index = readFileSync(join(sitePaths(dataDir).archive, 'index.html'), 'utf8');
    expect(index).toContain(`${first.id}/index.html`);
    expect(index).toContain(`${second.id}.tar.gz`);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(join(second.dir, 'index.html')).href);
    await page.waitForSelector('ctm-chart canvas');
    await page.getByRole('link', { name: 'Days', exact: true }).click();
    await page.waitForURL('**/days/index.html');
    await page.locator('tbody th a').first().click();
    await page.waitForURL(/\/days\/\d{4}-\d\d-\d\d\/index\.html$/);
    await page.waitForSelector('ctm-chart canvas');
    expect(errors).toEqual([]);
    await page.goto(pathToFileURL(join(sitePaths(dataDir).archive, 'index.html')).href);
    await page.getByRole('link', { name: /UTC$/ }).first().click();
    await page.waitForSelector('ctm-chart canvas');
    await page.close();
  });
});
