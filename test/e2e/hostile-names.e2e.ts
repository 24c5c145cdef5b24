// Hostile project and session names end to end: transcripts whose project folders and session ids are a
// 300-character id, `index.html`, `...`, names not in Unicode's composed form, ids with `/`, `?`, `#`, `%`, a
// leading dot, `months` and a device name go through the real `ctm ingest --once` and `ctm build`. Every
// project and session must get a page, and every <a href> of the published site must resolve to a file: on
// disk, after an incremental refresh, in an archived snapshot (relative links) and through nginx and ctm's
// own static file server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { assistantLine } from '../fixtures/fixture-lines.ts';
import { fixtureTree, type FixtureTree } from '../fixtures/fixture-tree.ts';
import { ChangeSet } from '../../src/db/change-set.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDb } from '../../src/db/open.ts';
import { silentLogger } from '../../src/log.ts';
import { runCtm } from '../fixtures/run-ctm.ts';
import { href } from '../../src/site/pages.ts';
import { createRefresher, siteRefresh } from '../../src/site/refresh/refresh-pages.ts';
import { openSiteContext } from '../../src/site/site-context.ts';
import { loadBundle } from '../../src/site/build/render-page.ts';
import { serverEntry, sitePaths } from '../../src/site/site-paths.ts';
import { snapshotSite } from '../../src/site/archive/snapshot-site.ts';
import { createStaticFiles } from '../../src/server/static-files.ts';
import { findNginx } from '../../src/stack/find-nginx.ts';
import { freePort } from '../../src/stack/free-port.ts';
import { nginxArgs, writeNginxConfig } from '../../src/stack/nginx-config.ts';
import { repoRoot, waitFor } from './stack-harness.ts';

const PROJECTS = [
  '-home-me-alpha',
  'index.html',
  '...',
  'u\u0308ber-nfd',
  '.dotted',
  'a b%20c#d?e',
  'p'.repeat(200),
];
const SESSIONS = [
  's'.repeat(300),
  'index.html',
  'a/b',
  '../../etc',
  'months',
  'index',
  '...',
  '.hidden',
  'nfd-u\u0308ber',
  'q?x#y%41',
  'CON',
  'plain-0b6f3c1e-5e55-4000-8000-000000000000',
];

let tree: FixtureTree;
let dataDir: string;
let config: Config;
// The events start an hour ago: the day of the first one has usage even just after midnight.
const eventsFrom = Date.now() - 3_600_000;
const firstDay = new Date(eventsFrom).toISOString().slice(0, 10);

/** Every <a href> of every HTML file below root, with the file it is on. The live page is no file: ctm start
 * renders it per request (behind nginx too), so links to it are left to the live tests. */
function links(root: string): { page: string; href: string }[] {
  const out: { page: string; href: string }[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.html')) continue;
    const page = join(entry.parentPath, entry.name);
    const html = readFileSync(page, 'utf8');
    for (const m of html.matchAll(/<a\b[^>]*?\shref="([^"]*)"/g)) {
      const value = m[1]!
        .replace(/&amp;/g, '&')
        .replace(/&#39;/g, "'")
        .replace(/&quot;/g, '"');
      if (/^[a-z]+:/i.test(value) || value.startsWith('#') || /(^|\/)live\/(index\.html)?$/.test(value))
        continue;
      out.push({ page, href: value });
    }
  }
  return out;
}

/** The file a link names, from the page it is on: root-absolute against root, relative against the page. */
function target(root: string, page: string, link: string): string {
  const path = decodeURIComponent(link.replace(/[?#].*$/, ''));
  const file = path.startsWith('/') ? join(root, path) : resolve(dirname(page), path);
  return path.endsWith('/') || path === '' ? join(file, 'index.html') : file;
}

function unresolved(root: string, list: { page: string; href: string }[]): string[] {
  return list
    .filter(({ page, href: link }) => {
      const file = target(root, page, link);
      return !file.startsWith(root) || !existsSync(file) || !statSync(file).isFile();
    })
    .map(({ page, href: link }) => `${relative(root, page)} → ${link}`);
}

beforeAll(() => {
  tree = fixtureTree();
  // nginx's workers drop to an unprivileged user when the tests run as root: they must be able to enter it.
  chmodSync(tree.root, 0o755);
  let n = 0;
  PROJECTS.forEach((project, p) => {
    SESSIONS.forEach((sessionId, s) => {
      // Each session in one project only (its page names one project); a few in every project.
      if (s % PROJECTS.length !== p && p !== 0) return;
      tree.write(`${project}/f${s}.jsonl`, [
        assistantLine({
          id: `msg_${n++}`,
          timestamp: new Date(eventsFrom + n * 60_000).toISOString(),
          model: 'claude-sonnet-4-5-20250929',
          sessionId: p === 0 ? sessionId : `${sessionId}-${p}`,
          cwd: `/home/me/${project}`,
          input: 1000,
          output: 100,
        }),
      ]);
    });
  });
  dataDir = join(tree.root, 'data');
  config = loadConfig({ CTM_DATA_DIR: dataDir, CTM_TZ: 'UTC', CTM_LOG_LEVEL: 'warn' });
  const env = { HOME: tree.root, CTM_CLAUDE_DIR: tree.claudeDir, CTM_DATA_DIR: dataDir };
  const ingest = runCtm(['ingest', '--once'], env);
  expect(ingest.stderr).toBe('');
  expect(ingest.code).toBe(0);
  const build = runCtm(['build'], env);
  expect(build.stderr).toBe('');
  expect(build.code).toBe(0);
}, 180_000);

afterAll(() => tree?.remove());

function keys(): { projects: string[]; sessions: string[] } {
  const db = openDb(config.dbPath, { readonly: true });
  try {
    return {
      projects: db.prepare('SELECT DISTINCT project FROM usage ORDER BY 1').pluck().all() as string[],
      sessions: db.prepare('SELECT DISTINCT session_id FROM usage ORDER BY 1').pluck().all() as string[],
    };
  } finally {
    db.close();
  }
}

describe('hostile project and session names', () => {
  it('the index holds every bad name', () => {
    const k = keys();
    expect(k.projects).toEqual(expect.arrayContaining(PROJECTS));
    expect(k.sessions).toEqual(expect.arrayContaining(SESSIONS));
  });

  it('the build gives every project and session a page, and every link resolves to a file', () => {
    const root = realpathSync(sitePaths(dataDir).current);
    const k = keys();
    const pages = [...k.projects.map(href.project), ...k.sessions.map(href.session)];
    expect(new Set(pages).size).toBe(pages.length);
    const missing = pages.filter((p) => !existsSync(target(root, root, p)));
    expect(missing).toEqual([]);
    const all = links(root);
    for (const p of pages) expect(all.some((l) => l.href === p)).toBe(true);
    expect(unresolved(root, all)).toEqual([]);
  });

  it('a refresh of every bad session and project rewrites their pages, none fails or is missing', async () => {
    const ctx = openSiteContext(config, false);
    try {
      const refresher = createRefresher({
        siteDir: sitePaths(dataDir).root,
        log: silentLogger,
        ...siteRefresh(ctx, await loadBundle(serverEntry(dataDir)), silentLogger),
      });
      const k = keys();
      const changes = new ChangeSet();
      for (const s of k.sessions) changes.sessions.add(s);
      for (const p of k.projects) changes.projects.add(p);
      changes.days.add(firstDay);
      const result = await refresher.refresh(changes);
      expect({ missing: result.missing, failed: result.failed }).toEqual({ missing: 0, failed: 0 });
      expect(result.written).toBe(result.pages.length);
      const root = realpathSync(sitePaths(dataDir).current);
      expect(unresolved(root, links(root))).toEqual([]);
    } finally {
      ctx.db.close();
    }
  });

  it('an archived snapshot resolves every relative link to a file inside the archive', async () => {
    const snapshot = await snapshotSite(config);
    const all = links(snapshot.dir);
    expect(all.length).toBeGreaterThan(50);
    expect(all.filter((l) => l.href.startsWith('/'))).toEqual([]);
    // The snapshot note's "All snapshots" link goes up to the archive's list, beside the snapshot: the only link
    // that leaves the snapshot's own directory, and only for the archive's.
    const archive = dirname(snapshot.dir);
    const outside = all.filter(
      ({ page, href: link }) => !target(archive, page, link).startsWith(snapshot.dir),
    );
    expect(new Set(outside.map(({ page, href: link }) => target(archive, page, link)))).toEqual(
      new Set([join(archive, 'index.html')]),
    );
    expect(unresolved(archive, all)).toEqual([]);
  });

  describe('served', () => {
    let nginx: ChildProcess | undefined;
    let nginxUrl: string;
    let ctmServer: Server;
    let ctmUrl: string;
    let runDir: string;

    beforeAll(async () => {
      runDir = mkdtempSync(join(tmpdir(), 'ctm-hostile-nginx-'));
      const install = findNginx(process.env.CTM_NGINX_BIN, process.env.PATH);
      const port = await freePort();
      writeNginxConfig({
        repoRoot,
        runDir,
        nginx: install,
        listen: `127.0.0.1:${port}`,
        siteRoot: sitePaths(dataDir).current,
        archiveRoot: sitePaths(dataDir).archive,
        upstream: `127.0.0.1:${await freePort()}`,
      });
      nginx = spawn(install.bin, nginxArgs(runDir), { stdio: 'ignore' });
      nginxUrl = `http://127.0.0.1:${port}`;
      await waitFor('nginx', 10_000, async () =>
        (await fetch(`${nginxUrl}/_nginx/health`)).ok ? true : undefined,
      );
      // ctm start's own static file server, on the same published site.
      const files = createStaticFiles();
      const site = realpathSync(sitePaths(dataDir).current);
      ctmServer = createServer((req, res) => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        void files.serve(req, res, site, path, path).then((result) => {
          if (result !== 'served') res.writeHead(result === 'bad-path' ? 400 : 404).end();
        });
      });
      await new Promise<void>((r) => ctmServer.listen(0, '127.0.0.1', r));
      ctmUrl = `http://127.0.0.1:${(ctmServer.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      nginx?.kill('SIGTERM');
      await new Promise<void>((r) => (ctmServer ? ctmServer.close(() => r()) : r()));
      if (runDir) rmSync(runDir, { recursive: true, force: true });
    });

    it('nginx and ctm start answer 200 for every link of the site', async () => {
      const root = realpathSync(sitePaths(dataDir).current);
      const paths = [
        ...new Set(links(root).map((l) => new URL(l.href, `http://x/${relative(root, l.page)}`).pathname)),
      ];
      expect(paths.length).toBeGreaterThan(30);
      const failing: string[] = [];
      for (const base of [nginxUrl, ctmUrl]) {
        for (const path of paths) {
          const res = await fetch(base + path, { redirect: 'manual' });
          await res.arrayBuffer();
          if (res.status !== 200)
            failing.push(`${base === nginxUrl ? 'nginx' : 'ctm'} ${res.status} ${path}`);
        }
      }
      expect(failing).toEqual([]);
    });
  });
});
