// The machines and users pages end to end: an index holding three machines and two users (sessions moved to
// other machines as a hub stores them) → `buildSite` (real astro build, atomic publish) publishes /machines/
// and /users/, the overview's block and the navigation links; a refresh after a commit of another machine
// rewrites them; a single-machine index's site has neither page, block nor link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDb, type Db } from '../../src/db/open.ts';
import { silentLogger } from '../../src/log.ts';
import { buildSite } from '../../src/site/build/build-site.ts';
import { createRefresher, siteRefresh } from '../../src/site/refresh/refresh-pages.ts';
import { serverEntry, sitePaths } from '../../src/site/site-paths.ts';
import { openSiteContext } from '../../src/site/site-context.ts';
import { loadBundle } from '../../src/site/build/render-page.ts';
import { ChangeSet } from '../../src/db/change-set.ts';
import { insertUsageRows, syntheticRows } from '../fixtures/seed-usage-db.ts';
import { moveSession } from '../fixtures/site-index.ts';

const today = new Date().toISOString().slice(0, 10);
const dirs: string[] = [];

function moveSessions(db: Db, sessions: readonly string[], machine: string, user: string): void {
  for (const s of sessions) moveSession(db, s, machine, user);
}

/** A data dir with a small history ending today; `team` moves a third of its sessions to desk (bob) and a
 * third to ci (this user). */
async function site(team: boolean): Promise<{ config: Config; root: () => string; sessions: string[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ctm-team-e2e-'));
  dirs.push(dataDir);
  const config = loadConfig({
    CTM_DATA_DIR: dataDir,
    CTM_TZ: 'UTC',
    CTM_LOG_LEVEL: 'warn',
    CTM_MACHINE: 'laptop',
    CTM_USER: 'me',
  });
  const db = openDb(config.dbPath);
  const rows = syntheticRows({
    endDay: today,
    days: 12,
    projects: 3,
    sessions: 18,
    requestsPerSession: 6,
    seed: 3,
  });
  insertUsageRows(db, rows);
  const sessions = [...new Set(rows.map((r) => r.sessionId))];
  if (team) {
    moveSessions(db, sessions.slice(0, 6), 'desk', 'bob');
    moveSessions(db, sessions.slice(6, 12), 'ci', 'me');
  }
  db.close();
  await buildSite(config, silentLogger);
  return { config, root: () => realpathSync(sitePaths(dataDir).current), sessions };
}

const read = (root: string, file: string) => readFileSync(join(root, file), 'utf8');
const navLinks = (html: string) => [...html.matchAll(/<nav[^>]*>(.*?)<\/nav>/gs)].map((m) => m[1]).join('');

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('an index of several machines', () => {
  let s: Awaited<ReturnType<typeof site>>;
  beforeAll(async () => {
    s = await site(true);
  });

  it('publishes a machines and a users page, each with its members, chart and sessions', () => {
    const machines = read(s.root(), 'machines/index.html');
    for (const name of ['laptop', 'desk', 'ci']) expect(machines).toContain(`id="machine-${name}"`);
    expect(machines).toContain('Cost per day by machine');
    // desk's sessions are listed under it and link to their pages.
    const desk = machines.slice(machines.indexOf('id="machine-desk"'));
    expect(desk).toContain(`/sessions/${s.sessions[0]}/`);
    const users = read(s.root(), 'users/index.html');
    for (const name of ['me', 'bob']) expect(users).toContain(`id="user-${name}"`);
    expect(users).not.toContain('id="user-laptop"');
  });

  it('adds the block to the overview and links both pages from the navigation', () => {
    const overview = read(s.root(), 'index.html');
    expect(overview).toContain('data-team-breakdown');
    expect(overview).toContain('Machines, last 30 days');
    expect(navLinks(overview)).toContain('href="/machines/"');
    expect(navLinks(overview)).toContain('href="/users/"');
    expect(navLinks(read(s.root(), 'machines/index.html'))).toContain('href="/users/"');
  });

  it('refreshes both pages and the overview after a commit of another machine', async () => {
    const ctx = openSiteContext(s.config, false);
    const refresher = createRefresher({
      siteDir: sitePaths(s.config.dataDir).root,
      log: silentLogger,
      ...siteRefresh(ctx, await loadBundle(serverEntry(s.config.dataDir)), silentLogger),
    });
    const db = openDb(s.config.dbPath);
    const ts = Date.now() - 30_000;
    insertUsageRows(db, [
      {
        ts,
        model: 'claude-sonnet-4-5-20250929',
        sessionId: 'fresh-build-runner',
        project: '-home-dev-app-01',
        cwd: '/home/dev/app-01',
        input: 1,
        output: 1,
      },
    ]);
    moveSessions(db, ['fresh-build-runner'], 'runner-7', 'carol');
    db.close();
    const changes = new ChangeSet();
    changes.add(today, new Date(ts).getUTCHours(), 'fresh-build-runner', '-home-dev-app-01');
    const result = await refresher.refresh(changes);
    await refresher.stop();
    ctx.db.close();
    expect(result.failed).toBe(0);
    expect(result.missing).toBe(0);
    expect(result.pages.map((p) => p.kind)).toEqual(
      expect.arrayContaining(['overview', 'machines', 'users']),
    );
    const machines = read(s.root(), 'machines/index.html');
    expect(machines).toContain('id="machine-runner-7"');
    expect(machines.slice(machines.indexOf('id="machine-runner-7"'))).toContain(
      '/sessions/fresh-build-runner/',
    );
    expect(read(s.root(), 'users/index.html')).toContain('id="user-carol"');
    const overview = read(s.root(), 'index.html');
    expect(overview.slice(overview.indexOf('data-team-breakdown'))).toContain('runner-7');
  });
});

describe('a single-machine index', () => {
  it('has no machines or users page, block or navigation entry', async () => {
    const s = await site(false);
    expect(existsSync(join(s.root(), 'machines'))).toBe(false);
    expect(existsSync(join(s.root(), 'users'))).toBe(false);
    const overview = read(s.root(), 'index.html');
    expect(overview).not.toContain('data-team-breakdown');
    expect(navLinks(overview)).not.toMatch(/Machines|Users|\/machines\/|\/users\//);
    expect(navLinks(read(s.root(), 'projects/index.html'))).not.toContain('/machines/');
  });
});
