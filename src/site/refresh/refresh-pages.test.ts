// The refresher against a real site directory: writes the affected pages into the release `current` points
// at, each page's files (its tables' CSV) before its HTML, skips pages that render as missing, counts failures, and merges changes that arrive while it runs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChangeSet } from '../../db/change-set.ts';
import { silentLogger } from '../../log.ts';
import { createRefresher, siteRefresh, type RefresherOptions } from './refresh-pages.ts';
import { openDb } from '../../db/open.ts';
import { loadConfig } from '../../config.ts';
import { affectedPages, pageFile, pageHref, touchedKeys, type Page } from '../pages.ts';

let dir: string;
let release: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctm-refresh-'));
  release = join(dir, 'releases', 'r1', 'site');
  mkdirSync(release, { recursive: true });
  symlinkSync(release, join(dir, 'current'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The registry's pages of a change, with the months sessions started in when given. */
const affected =
  (startMonths: string[] = []): RefresherOptions['affected'] =>
  (changes) =>
    affectedPages(touchedKeys(changes, startMonths));
const paths = (pages: Page[]) => pages.map(pageHref);
const X = { html: 'x', files: [] };

const change = (day: string, session: string) => {
  const c = new ChangeSet();
  c.add(day, 9, session, '-p');
  return c;
};

describe('createRefresher', () => {
  it('writes every affected page and its files atomically into the current release', async () => {
    const rendered: string[] = [];
    const csvFirst: boolean[] = [];
    const refresher = createRefresher({
      siteDir: dir,
      log: silentLogger,
      affected: affected(),
      render: async (page) => {
        const path = pageHref(page);
        rendered.push(path);
        if (path === '/blocks/') return undefined;
        if (path === '/models/') throw new Error('boom');
        return {
          html: `<html>${path}</html>`,
          files: [{ file: pageFile(page).replace('index.html', 'index.csv'), text: `csv of ${path}` }],
        };
      },
      // The files are on disk before the page that links them.
      onWrite: (page) =>
        csvFirst.push(existsSync(join(release, pageFile(page).replace('index.html', 'index.csv')))),
    });
    const result = await refresher.refresh(change('2026-03-02', 's1'));
    expect(result).toMatchObject({ written: 11, missing: 1, failed: 1 });
    expect(readFileSync(join(release, 'days', '2026-03-02', 'index.html'), 'utf8')).toBe(
      '<html>/days/2026-03-02/</html>',
    );
    expect(readFileSync(join(release, 'index.html'), 'utf8')).toBe('<html>/</html>');
    expect(readFileSync(join(release, 'days', 'index.csv'), 'utf8')).toBe('csv of /days/');
    expect(csvFirst).toEqual(Array(11).fill(true));
    expect(existsSync(join(release, 'blocks', 'index.html'))).toBe(false);
    // No temporary files left behind.
    const all = readdirSync(release, { recursive: true }) as string[];
    expect(all.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(rendered[0]).toBe('/sessions/s1/');
  });

  it('gathers a burst of changes into one run, and those arriving during a run into the next', async () => {
    const runs: string[][] = [];
    let current: string[] = [];
    let release1: () => void = () => {};
    const gate = new Promise<void>((r) => (release1 = r));
    let started: () => void = () => {};
    const running = new Promise<void>((r) => (started = r));
    const results: number[] = [];
    const refresher = createRefresher({
      siteDir: dir,
      log: silentLogger,
      debounceMs: 20,
      affected: affected(),
      onRun: (result) => results.push(result.written),
      render: async (page) => {
        const path = pageHref(page);
        if (path === '/' && runs.length === 0) {
          started();
          await gate;
        }
        current.push(path);
        if (path === '/blocks/') {
          runs.push(current);
          current = [];
        }
        return X;
      },
    });
    const first = refresher.refresh(change('2026-03-02', 's1'));
    expect(refresher.refresh(change('2026-03-02', 's0'))).toBe(first);
    await running;
    const second = refresher.refresh(change('2026-03-03', 's2'));
    const third = refresher.refresh(change('2026-03-04', 's3'));
    expect(second).toBe(third);
    expect(second).not.toBe(first);
    release1();
    await Promise.all([first, second, third]);
    expect(runs).toHaveLength(2);
    expect(runs[0]).toEqual(expect.arrayContaining(['/sessions/s0/', '/sessions/s1/']));
    expect(runs[1]).toEqual(expect.arrayContaining(['/sessions/s2/', '/sessions/s3/']));
    expect(runs[1]).not.toContain('/sessions/s1/');
    expect(results).toEqual([14, 15]);
  });

  it('stops after the running run and drops what has not started', async () => {
    let release1: () => void = () => {};
    const gate = new Promise<void>((r) => (release1 = r));
    const rendered: string[] = [];
    const refresher = createRefresher({
      siteDir: dir,
      log: silentLogger,
      affected: affected(),
      render: async (page) => {
        rendered.push(pageHref(page));
        if (rendered.length === 1) await gate;
        return X;
      },
    });
    const first = refresher.refresh(change('2026-03-02', 's1'));
    await new Promise((r) => setTimeout(r, 10));
    const dropped = refresher.refresh(change('2026-03-03', 's2'));
    const stopping = refresher.stop();
    release1();
    await stopping;
    expect((await first).written).toBe(13);
    expect(await dropped).toMatchObject({ pages: [], written: 0 });
    expect(rendered).not.toContain('/sessions/s2/');
    expect((await refresher.refresh(change('2026-03-04', 's3'))).written).toBe(0);
  });

  it('writes the pages it is given, in their order', async () => {
    const written: string[] = [];
    const refresher = createRefresher({
      siteDir: dir,
      log: silentLogger,
      affected: affected(['2026-02']),
      render: async () => X,
      onWrite: (page) => written.push(pageHref(page)),
    });
    const result = await refresher.refresh(change('2026-03-02', 's1'));
    expect(paths(result.pages)).toContain('/sessions/months/2026-02/');
    expect(written).toEqual(paths(result.pages));
    expect(readFileSync(join(release, 'sessions', 'months', '2026-02', 'index.html'), 'utf8')).toBe('x');
  });

  it('without the months sessions started in (the index unreadable), still refreshes the rest', () => {
    const db = openDb(join(dir, 'ctm.db'));
    db.close();
    const config = loadConfig({ CTM_DATA_DIR: dir, CTM_TZ: 'UTC' });
    const ctx = { config, db, filter: { timezone: 'UTC', costMode: 'auto' as const }, now: 0 };
    const { affected: pagesOf } = siteRefresh(ctx, () => undefined, silentLogger);
    const got = paths(pagesOf(change('2026-03-02', 's1')));
    expect(got).toContain('/sessions/s1/');
    expect(got.filter((p) => p.startsWith('/sessions/months/'))).toEqual(['/sessions/months/2026-03/']);
  });

  it('does nothing before the first build', async () => {
    rmSync(join(dir, 'current'));
    const refresher = createRefresher({
      siteDir: dir,
      log: silentLogger,
      affected: affected(),
      render: async () => X,
    });
    expect((await refresher.refresh(change('2026-03-02', 's1'))).written).toBe(0);
  });
});
