// The site as a person sees it (an index of three machines and two users, as a hub holds), in chromium: one
// colour per model on every chart of the overview and the models page, the name and Cost columns of every
// listing inside a 390 px screen and of every side-by-side panel inside its panel at 1400 px, no word glued to
// a number in any page kind's text, and each page kind at 1400 px and 390 px in light and dark (the archive's
// list and an archived page too), saved to docs/screenshots/ and checked with axe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { openDb } from '../../src/db/open.ts';
import { silentLogger } from '../../src/log.ts';
import { buildSite } from '../../src/site/build/build-site.ts';
import { sitePaths } from '../../src/site/site-paths.ts';
import { snapshotSite } from '../../src/site/archive/snapshot-site.ts';
import { insertUsageRows, syntheticRows } from '../fixtures/seed-usage-db.ts';
import { moveSession } from '../fixtures/site-index.ts';
import { serveStaticDir } from './static-site-server.ts';
import { seriousAxeViolations } from './axe-violations.ts';

const shots = new URL('../../docs/screenshots/', import.meta.url).pathname;
const today = new Date().toISOString().slice(0, 10);
const LISTINGS = [
  '/days/',
  '/weeks/',
  '/months/',
  '/sessions/',
  '/projects/',
  '/models/',
  '/blocks/',
  '/machines/',
  '/users/',
];

let dataDir: string;
let browser: Browser;
let server: Awaited<ReturnType<typeof serveStaticDir>>;

async function open(
  path: string,
  width: number,
  scheme: 'light' | 'dark' = 'light',
  base = server.url,
): Promise<Page> {
  const page = await browser.newPage({
    viewport: { width, height: width < 600 ? 844 : 900 },
    isMobile: width < 600,
    colorScheme: scheme,
  });
  await page.goto(base + path);
  if (await page.locator('ctm-chart').count()) await page.waitForSelector('ctm-chart canvas');
  return page;
}

/** One page of each kind: [name, path], the detail pages the first their listing links to. */
async function pageKinds(): Promise<[string, string][]> {
  const probe = await open('/', 1400);
  const firstLink = async (listing: string, pattern: RegExp): Promise<string> => {
    await probe.goto(server.url + listing);
    const hrefs = await probe
      .locator('table a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    const found = hrefs.find((h) => pattern.test(h));
    if (!found) throw new Error(`no ${pattern} link on ${listing}`);
    return new URL(found, server.url + listing).pathname;
  };
  const kinds: [string, string][] = [
    ['overview', '/'],
    ['days', '/days/'],
    ['day', `/days/${today}/`],
    ['weeks', '/weeks/'],
    ['months', '/months/'],
    ['month', await firstLink('/months/', /months\/\d{4}-\d\d\/$/)],
    ['sessions', '/sessions/'],
    ['sessions-month', `/sessions/months/${today.slice(0, 7)}/`],
    ['session', await firstLink('/sessions/', /sessions\/[^/]+\/$/)],
    ['projects', '/projects/'],
    ['project', await firstLink('/projects/', /projects\/[^/]+\/$/)],
    ['models', '/models/'],
    ['blocks', '/blocks/'],
    ['machines', '/machines/'],
    ['users', '/users/'],
    ['not-found', '/nope/'],
  ];
  await probe.close();
  return kinds;
}

/** Each chart's legend as label → marker colour, chart by chart. */
async function legendColors(page: Page): Promise<Record<string, string>[]> {
  return page.locator('ctm-chart').evaluateAll((charts) =>
    charts.map((chart) => {
      const out: Record<string, string> = {};
      for (const row of chart.querySelectorAll('.u-legend .u-series')) {
        const label = row.querySelector('.u-label')?.textContent?.trim() ?? '';
        const marker = row.querySelector<HTMLElement>('.u-marker');
        if (label && marker) out[label] = getComputedStyle(marker).borderColor;
      }
      return out;
    }),
  );
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ctm-visual-e2e-'));
  const config = loadConfig({ CTM_DATA_DIR: dataDir, CTM_TZ: 'UTC', CTM_LOG_LEVEL: 'warn' });
  const db = openDb(config.dbPath);
  const rows = syntheticRows({
    endDay: today,
    days: 60,
    projects: 5,
    sessions: 80,
    requestsPerSession: 20,
    seed: 3,
  });
  const shift = Date.now() - 5 * 60_000 - Math.max(...rows.map((r) => r.ts));
  insertUsageRows(
    db,
    rows.map((r) => ({ ...r, ts: r.ts + shift })),
  );
  // A third of the sessions as a hub stores another machine's (desk, bob's) and a third as a CI runner's
  // (ci, this user), so the machines and users pages and the overview's breakdowns are drawn too.
  for (const [i, s] of [...new Set(rows.map((r) => r.sessionId))].entries())
    if (i % 3 > 0) moveSession(db, s, i % 3 === 1 ? 'desk' : 'ci', i % 3 === 1 ? 'bob' : '');
  db.close();
  await buildSite(config, silentLogger);
  server = await serveStaticDir(() => realpathSync(sitePaths(dataDir).current), {
    'content-security-policy':
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
  });
  browser = await chromium.launch({
    executablePath: process.env.CTM_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  mkdirSync(shots, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the site in chromium', () => {
  it('gives one model one colour on every chart of the models page and the overview', async () => {
    const seen = new Map<string, Set<string>>();
    let charts = 0;
    for (const path of ['/models/', '/']) {
      const page = await open(path, 1400);
      for (const legend of await legendColors(page)) {
        charts++;
        for (const [label, colour] of Object.entries(legend)) {
          if (!/^claude-/.test(label)) continue;
          seen.set(label, (seen.get(label) ?? new Set()).add(colour));
        }
      }
      await page.close();
    }
    expect(charts).toBeGreaterThanOrEqual(3);
    expect(seen.size).toBeGreaterThanOrEqual(2);
    for (const [model, colours] of seen) expect([...colours], model).toHaveLength(1);
    // Distinct models, distinct colours.
    const firsts = [...seen.values()].map((c) => [...c][0]);
    expect(new Set(firsts).size).toBe(firsts.length);
  });

  it.each(LISTINGS)('keeps the name and Cost columns of %s inside a 390 px screen', async (path) => {
    const page = await open(path, 390);
    const tables = page.locator('.scroll:not(details .scroll) > table');
    const n = await tables.count();
    expect(n).toBeGreaterThan(0);
    let withCost = 0;
    for (let t = 0; t < n; t++) {
      const head = tables.nth(t).locator('thead tr').first();
      const cost = head.locator('th', { hasText: /^\s*Cost/ }).first();
      // A table of rates or settings has no cost to keep in view.
      if ((await cost.count()) === 0) continue;
      withCost++;
      for (const cell of [head.locator('th').first(), cost]) {
        const box = (await cell.boundingBox())!;
        expect(box.x, `${path} table ${t}`).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, `${path} table ${t}`).toBeLessThanOrEqual(390);
        // In view, not under another column pinned over it: the cell is what the screen shows at its centre
        // (the page scrolled down to it, never sideways).
        const seen = await cell.evaluate((el) => {
          window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 100);
          const r = el.getBoundingClientRect();
          return el.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
        });
        expect(seen, `${path} table ${t}: ${await cell.innerText()} is covered`).toBe(true);
      }
    }
    expect(withCost, `${path}: tables with a Cost column`).toBeGreaterThan(0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });

  it('keeps the name and Cost columns of side-by-side panels inside their panel at 1400 px', async () => {
    const kinds = new Map(await pageKinds());
    let checked = 0;
    for (const kind of ['overview', 'day', 'month', 'project', 'session', 'models']) {
      const page = await open(kinds.get(kind)!, 1400);
      const cut = await page.locator('.scroll:not(details .scroll)').evaluateAll((boxes) =>
        boxes.flatMap((box) => {
          const head = [...box.querySelectorAll('thead tr:first-child th')];
          const cost = head.find((th) => /^\s*Cost/.test(th.textContent ?? ''));
          if (!cost) return [];
          const b = box.getBoundingClientRect();
          return [head[0]!, cost]
            .map((th) => th.getBoundingClientRect())
            .filter((r) => r.left < b.left - 0.5 || r.right > b.right + 0.5)
            .map(
              (r) =>
                `${Math.round(r.left)}-${Math.round(r.right)} outside ${Math.round(b.left)}-${Math.round(b.right)}`,
            );
        }),
      );
      checked += await page.locator('.scroll:not(details .scroll) thead th', { hasText: /^\s*Cost/ }).count();
      expect(cut, kind).toEqual([]);
      await page.close();
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  it('glues no word to a number in the text of any page kind', async () => {
    const glued: string[] = [];
    for (const [kind, path] of await pageKinds()) {
      const page = await open(path, 1400);
      const words = await page.evaluate(() => {
        // Identifiers are data, not prose: session ids, code, and (below) any word with - _ . / : or @ in it,
        // which covers model names, dates, times, versions and paths.
        for (const el of document.querySelectorAll('code, .id, ctm-chart')) el.remove();
        return document.body.innerText.split(/\s+/);
      });
      for (const word of words) {
        if (/[-_./:@]/.test(word)) continue;
        if (/[a-z]\d|\d[A-Za-z]{2,}/.test(word)) glued.push(`${kind} ${path}: ${word}`);
      }
      await page.close();
    }
    expect(glued).toEqual([]);
  });

  it('saves every page kind at 1400 and 390 px, light and dark, and each passes axe', async () => {
    const kinds = await pageKinds();
    const failures: string[] = [];
    for (const [kind, path] of kinds) {
      for (const width of [1400, 390]) {
        for (const scheme of ['light', 'dark'] as const) {
          const page = await open(path, width, scheme);
          await page.screenshot({ path: join(shots, `${kind}-${width}-${scheme}.png`) });
          const v = await seriousAxeViolations(page);
          if (v.length) failures.push(`${kind} ${width} ${scheme}: ${v.join(', ')}`);
          await page.close();
        }
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('saves the archive list and an archived overview at 1400 and 390 px, light and dark, and each passes axe', async () => {
    const config = loadConfig({ CTM_DATA_DIR: dataDir, CTM_TZ: 'UTC', CTM_LOG_LEVEL: 'warn' });
    const shot = await snapshotSite(config);
    const archive = await serveStaticDir(() => sitePaths(dataDir).archive);
    const failures: string[] = [];
    try {
      for (const [kind, path] of [
        ['archive', '/'],
        ['snapshot', `/${shot.id}/index.html`],
      ] as const) {
        for (const width of [1400, 390]) {
          for (const scheme of ['light', 'dark'] as const) {
            const page = await open(path, width, scheme, archive.url);
            await page.screenshot({ path: join(shots, `${kind}-${width}-${scheme}.png`) });
            const v = await seriousAxeViolations(page);
            if (v.length) failures.push(`${kind} ${width} ${scheme}: ${v.join(', ')}`);
            await page.close();
          }
        }
      }
    } finally {
      await archive.close();
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
