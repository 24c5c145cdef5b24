// The tables' CSV downloads end to end: a fixture index (three machines, a day known only from Claude Code's
// stats cache, a project whose name a spreadsheet would run) → `buildSite` → the published site served over
// HTTP. On every page, every table but a chart's data table has a CSV link, and every CSV link (relative,
// `download`) answers 200 as text/csv and parses as RFC 4180, rows as wide as the header and the table's column
// headings in its order; every CSV file of the site is linked from its page; a snapshot keeps them, every link
// still resolving inside it; a refresh after a commit rewrites the CSV files of the pages it rewrites.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDb } from '../../src/db/open.ts';
import { silentLogger } from '../../src/log.ts';
import { parseCsv } from '../fixtures/csv-parse.ts';
import { buildSite } from '../../src/site/build/build-site.ts';
import { serverEntry, sitePaths } from '../../src/site/site-paths.ts';
import { createRefresher, siteRefresh } from '../../src/site/refresh/refresh-pages.ts';
import { loadBundle } from '../../src/site/build/render-page.ts';
import { ChangeSet } from '../../src/db/change-set.ts';
import { snapshotSite } from '../../src/site/archive/snapshot-site.ts';
import { allPages, pageFile, pageHref, siteKeys } from '../../src/site/pages.ts';
import { openSiteContext } from '../../src/site/site-context.ts';
import { insertUsageRows, syntheticRows } from '../fixtures/seed-usage-db.ts';
import { serveStaticDir } from './static-site-server.ts';

const today = new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.parse(today) - n * 86_400_000).toISOString().slice(0, 10);

let dataDir: string;
let config: Config;
let site: string;
let server: Awaited<ReturnType<typeof serveStaticDir>>;

/** The CSV links of a page's HTML: each `<a href="….csv" download …>`, with the column headings of the table
 * just before it. */
function csvLinksWithHeads(html: string): { link: string; heads: string[] }[] {
  return [...html.matchAll(/<a\b[^>]*>/g)]
    .filter((m) => /\sdownload[\s>=]/.test(m[0]))
    .map((m) => {
      const thead = html.slice(0, m.index).split('<thead').at(-1)!.split('</thead>')[0]!;
      const heads = [...thead.matchAll(/<th\b[^>]*>([\s\S]*?)<\/th>/g)].map((h) =>
        h[1]!.replace(/<[^>]*>/g, '').trim(),
      );
      return { link: /\shref="([^"]*)"/.exec(m[0])![1]!, heads };
    });
}
const csvLinks = (html: string) => csvLinksWithHeads(html).map((l) => l.link);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ctm-csv-e2e-'));
  config = loadConfig({
    CTM_DATA_DIR: dataDir,
    CTM_TZ: 'UTC',
    CTM_LOG_LEVEL: 'warn',
    CTM_MACHINE: 'laptop',
    CTM_USER: 'me',
  });
  const db = openDb(config.dbPath);
  const rows = syntheticRows({
    endDay: today,
    days: 40,
    projects: 4,
    sessions: 60,
    requestsPerSession: 12,
    seed: 3,
  });
  const first = rows[0]!;
  rows.push({
    ...first,
    sessionId: 'formula-session',
    project: '-x',
    cwd: '/srv/=HYPERLINK("x"),y',
    ts: first.ts + 1,
  });
  insertUsageRows(db, rows);
  const sessions = [...new Set(rows.map((r) => r.sessionId))];
  for (const table of ['messages', 'usage_daily']) {
    const move = db.prepare(`UPDATE ${table} SET machine = ?, user_name = ? WHERE session_id = ?`);
    sessions.forEach((s, i) =>
      i % 3 === 1 ? move.run('desk', 'bob', s) : i % 3 === 2 && move.run('ci', 'me', s),
    );
  }
  db.prepare(
    `INSERT INTO stats_cache_daily (claude_dir, date, model, tokens, version) VALUES ('/c', ?, 'claude-x', 1234, 5)`,
  ).run(daysAgo(60));
  db.close();
  await buildSite(config, silentLogger);
  site = realpathSync(sitePaths(dataDir).current);
  server = await serveStaticDir(() => site);
}, 180_000);

afterAll(async () => {
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('CSV downloads', () => {
  it('every table of every page has a CSV link that answers 200 as text/csv and parses; every file is linked', async () => {
    const ctx = openSiteContext(config, false);
    const pages = allPages(siteKeys(ctx));
    ctx.db.close();
    expect(new Set(pages.map((p) => p.kind))).toContain('machines');
    const linked = new Set<string>();
    for (const page of pages) {
      if (page.kind === 'notFound') continue;
      const url = server.url + pageHref(page);
      const res = await fetch(url);
      expect(res.status, url).toBe(200);
      const html = await res.text();
      const links = csvLinksWithHeads(html);
      expect(links.length, url).toBeGreaterThan(0);
      // Every table has its link, but a chart's data table (in its <details>: the chart's own figures).
      const tables = html.replace(/<details\b[\s\S]*?<\/details>/g, '').match(/<table\b/g)?.length ?? 0;
      expect(links.length, `${url}: tables and CSV links`).toBe(tables);
      for (const { link, heads } of links) {
        expect(link, url).toMatch(/^[A-Za-z0-9_~-]+\.csv$/);
        const target = new URL(link, url);
        const csv = await fetch(target);
        expect(csv.status, target.href).toBe(200);
        expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        const [header, ...rows] = parseCsv(await csv.text());
        expect(header!.length).toBeGreaterThan(1);
        // The table's columns, in its order (a CSV heading may add a unit: "Duration (s)"; extra columns such
        // as a project's working directory may come between).
        let at = 0;
        for (const head of heads) {
          const found = header!.findIndex((h, i) => i >= at && (h === head || h.startsWith(`${head} (`)));
          expect(found, `${target.href}: ${head} in ${header!.join(',')}`).toBeGreaterThanOrEqual(0);
          at = found + 1;
        }
        for (const row of rows) expect(row.length, target.href).toBe(header!.length);
        linked.add(decodeURIComponent(target.pathname).slice(1));
      }
    }
    const files = readdirSync(site, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.csv'));
    expect(files.sort()).toEqual([...linked].sort());
    // The listings and the overview's conditional tables are among them.
    for (const f of ['days/index.csv', 'sessions/index.csv', 'stats-cache-days.csv', 'top-machines.csv'])
      expect(files).toContain(f);
  });

  it('keeps a formula-like project name as text, and the figures plain', () => {
    const [header, ...rows] = parseCsv(readFileSync(join(site, 'projects', 'index.csv'), 'utf8'));
    expect(header).toContain('Working directory');
    const row = rows.find((r) => r[1] === '/srv/=HYPERLINK("x"),y')!;
    expect(row[0]).toBe(`'=HYPERLINK("x"),y`);
    expect(row.slice(2).every((v) => /^\d+(\.\d+)?$/.test(v))).toBe(true);
  });

  it('a snapshot keeps every CSV file and every link to one resolves inside it', async () => {
    const { dir } = await snapshotSite(config);
    for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.html'),
    )) {
      for (const link of csvLinks(readFileSync(join(dir, file), 'utf8')))
        expect(existsSync(join(dir, dirname(file), decodeURIComponent(link))), `${file} → ${link}`).toBe(
          true,
        );
    }
    expect(
      existsSync(join(dir, pageFile({ kind: 'days', key: '' }).replace('index.html', 'index.csv'))),
    ).toBe(true);
  });

  it('a refresh after a commit rewrites the CSV files of the pages it rewrites', async () => {
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
        sessionId: 'fresh-csv-session',
        project: '-home-dev-app-01',
        cwd: '/home/dev/app-01',
        input: 777_777,
        output: 1,
      },
    ]);
    db.close();
    const changes = new ChangeSet();
    changes.add(today, new Date(ts).getUTCHours(), 'fresh-csv-session', '-home-dev-app-01');
    const result = await refresher.refresh(changes);
    await refresher.stop();
    ctx.db.close();
    expect(result.failed).toBe(0);
    const sessions = parseCsv(readFileSync(join(site, 'sessions', 'index.csv'), 'utf8'));
    expect(sessions.find((r) => r[1] === 'fresh-csv-session')![0]).toBe(new Date(ts).toISOString());
    const day = parseCsv(readFileSync(join(site, 'days', today, 'sessions.csv'), 'utf8'));
    expect(day.map((r) => r[1])).toContain('fresh-csv-session');
    expect(
      parseCsv(readFileSync(join(site, 'sessions', 'fresh-csv-session', 'models.csv'), 'utf8'))[1]![2],
    ).toBe('777777');
  });
});
