// The one renderer: a real build of a small index, then pages rendered in this process through the built
// bundle's handler, without a port (no server listens, nothing connects), each the same as the build's file
// but for the clock; a request that brings no page's data is a 404.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../config.ts';
import { openDb } from '../../db/open.ts';
import { silentLogger } from '../../log.ts';
import { insertUsageRows } from '../../../test/fixtures/seed-usage-db.ts';
import { FIXTURE } from '../../../test/fixtures/site-fixture.ts';
import { buildSite } from './build-site.ts';
import { loadPage, pageFile, type Page } from '../pages.ts';
import { openSiteContext, type SiteContext } from '../site-context.ts';
import { serverEntry, sitePaths } from '../site-paths.ts';
import { loadBundle, renderPage, respond, type BundleHandler } from './render-page.ts';

let dir: string;
let config: Config;
let ctx: SiteContext;
let handler: BundleHandler;
const clockless = (html: string) => html.replace(/page generated [0-9-]+ [0-9:]+/, '');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ctm-render-page-'));
  config = loadConfig({ CTM_DATA_DIR: dir, CTM_TZ: 'UTC' });
  const w = openDb(config.dbPath);
  insertUsageRows(w, FIXTURE);
  w.close();
  await buildSite(config, silentLogger);
  ctx = openSiteContext(config, false);
  handler = await loadBundle(serverEntry(dir));
}, 120_000);
afterAll(() => {
  ctx?.db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('renderPage', () => {
  it.each<Page>([
    { kind: 'overview', key: '' },
    { kind: 'day', key: '2026-03-02' },
    { kind: 'session', key: 's1' },
    { kind: 'notFound', key: '' },
  ])('renders $kind $key in this process, without a port, as the build did', async (page) => {
    const listen = vi.spyOn(Server.prototype, 'listen');
    const html = await renderPage(handler, page, loadPage({ ...ctx, now: Date.now() }, page)!);
    expect(listen).not.toHaveBeenCalled();
    listen.mockRestore();
    const built = readFileSync(join(realpathSync(sitePaths(dir).current), pageFile(page)), 'utf8');
    expect(clockless(html)).toBe(clockless(built));
    expect(html).toMatch(/^<!DOCTYPE html>/);
  });

  it('answers 404 to a request that brings no page, as for any path the report route is asked', async () => {
    for (const path of ['/days/2026-03-02/', '/no/such/page/'])
      expect((await respond(handler, path)).status).toBe(404);
  });
});
