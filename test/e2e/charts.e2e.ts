// The charts as chromium draws them, read back from the canvas: a line over periods stops at a period without
// usage and goes on between periods that follow each other, the x axis spans the chart's own periods (half a
// bar either side) and is ticked at days, and a chart with nothing to draw says why instead of an empty frame.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { openDb } from '../../src/db/open.ts';
import { silentLogger } from '../../src/log.ts';
import { buildSite } from '../../src/site/build/build-site.ts';
import { sitePaths } from '../../src/site/site-paths.ts';
import { dayToX } from '../../src/components/charts/chart-spec.ts';
import { insertUsageRows, type SeedRow } from '../fixtures/seed-usage-db.ts';
import { serveStaticDir } from './static-site-server.ts';
import { seriousAxeViolations } from './axe-violations.ts';

// Usage in January, February and March, none in April and May, some in June.
const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-06'];
const rows: SeedRow[] = MONTHS.flatMap((month, m) =>
  [5, 12, 20].map((day, d) => ({
    ts: Date.parse(`${month}-${String(day).padStart(2, '0')}T10:00:00Z`),
    model: 'claude-sonnet-4-5-20250929',
    sessionId: `s-${m}-${d}`,
    project: '-home-dev-app',
    cwd: '/home/dev/app',
    input: 1000 + 100 * m,
    output: 500,
    cacheRead: 20_000,
  })),
);

let browser: Browser;
const sites: { dir: string; server: Awaited<ReturnType<typeof serveStaticDir>> }[] = [];

async function site(seed: readonly SeedRow[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ctm-charts-e2e-'));
  const config = loadConfig({ CTM_DATA_DIR: dir, CTM_TZ: 'UTC', CTM_LOG_LEVEL: 'warn' });
  const db = openDb(config.dbPath);
  insertUsageRows(db, seed);
  db.close();
  await buildSite(config, silentLogger);
  const server = await serveStaticDir(() => realpathSync(sitePaths(dir).current));
  sites.push({ dir, server });
  return server.url;
}

let withGap: string;
let empty: string;

beforeAll(async () => {
  withGap = await site(rows);
  empty = await site([]);
  browser = await chromium.launch({
    executablePath: process.env.CTM_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  for (const { dir, server } of sites) {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function open(url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(url);
  return page;
}

interface Drawn {
  xs: number[];
  scale: { min: number; max: number };
  /** Whether the line's colour is on the canvas half way between row i and row i + 1, per i. */
  lineBetween: boolean[];
  /** Where the x axis put its ticks (uPlot's splits, in unix seconds). */
  ticks: number[];
}

/** Reads the months chart back: its rows, its x scale, and the pixels half way between each pair of rows
 *  where the tokens line runs (or would run, were it drawn). */
function readChart(page: Page): Promise<Drawn> {
  return page.locator('ctm-chart').evaluate((el) => {
    interface Plot {
      data: number[][];
      scales: Record<string, { min: number; max: number }>;
      axes: { _splits?: number[] }[];
      series: { label: string; stroke: string | ((u: unknown, i: number) => string) }[];
      ctx: CanvasRenderingContext2D;
      valToPos(v: number, scale: string, canvasPixels: boolean): number;
    }
    const u = (el as unknown as { plot: Plot }).plot;
    const si = u.series.findIndex((s) => s.label === 'Tokens');
    const stroke = u.series[si]!.stroke;
    const colour = typeof stroke === 'function' ? stroke(u, si) : stroke;
    // The stroke colour as RGB, through a 1 px canvas (it may be any CSS colour).
    const probe = document.createElement('canvas').getContext('2d')!;
    probe.fillStyle = colour;
    probe.fillRect(0, 0, 1, 1);
    const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
    const xs = u.data[0]!;
    const ys = u.data[si]!;
    const lineBetween = xs.slice(1).map((x1, i) => {
      const x0 = xs[i]!;
      const px = Math.round(u.valToPos((x0 + x1) / 2, 'x', true));
      const py = Math.round(u.valToPos((ys[i]! + ys[i + 1]!) / 2, 'tokens', true));
      const { data } = u.ctx.getImageData(px - 2, py - 8, 5, 17);
      for (let p = 0; p < data.length; p += 4) {
        const d = Math.abs(data[p]! - r!) + Math.abs(data[p + 1]! - g!) + Math.abs(data[p + 2]! - b!);
        if (d < 60 && data[p + 3]! > 200) return true;
      }
      return false;
    });
    const ticks = u.axes[0]!._splits ?? [];
    return { xs, scale: { min: u.scales.x!.min, max: u.scales.x!.max }, lineBetween, ticks };
  });
}

describe('charts in chromium', () => {
  it('break the line at months without usage, join it between months that follow, span their own months', async () => {
    const page = await open(`${withGap}/months/`);
    await page.waitForSelector('ctm-chart canvas');
    const drawn = await readChart(page);
    expect(drawn.xs).toEqual(MONTHS.map((m) => dayToX(`${m}-01`)));
    // January–February and February–March are joined; March–June, across April and May, is not.
    expect(drawn.lineBetween).toEqual([true, true, false]);
    // Half a day either side of the first and last month, not uPlot's own padding or a span of years.
    expect(drawn.scale).toEqual({ min: dayToX('2026-01-01') - 43_200, max: dayToX('2026-06-01') + 43_200 });
    // A per-day axis is ticked at midnights (UTC here), never at hours.
    expect(drawn.ticks.length).toBeGreaterThan(1);
    for (const t of drawn.ticks) expect(t % 86_400, `tick at ${new Date(t * 1000).toISOString()}`).toBe(0);
    await page.close();
  });

  it('say "No usage in this period" instead of drawing an empty frame', async () => {
    const page = await open(`${empty}/`);
    const note = page.locator('.chart-empty');
    await expect(note.textContent()).resolves.toBe('No usage in this period.');
    expect(await note.isVisible()).toBe(true);
    expect(await page.locator('ctm-chart canvas').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.close();
  });
});
