// The page registry: every kind has keys, an href, a file, a loader and a view; hrefs and files agree and no
// two pages share one, whatever a project or session is called; the loaders find every page the keys name and
// none for a key the index does not have; a change touches the pages that show it, most specific first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siteIndex, type SiteIndex } from '../../test/fixtures/site-index.ts';
import { FIXTURE } from '../../test/fixtures/site-fixture.ts';
import type { SiteContext } from './site-context.ts';
import { parseSlug } from '../../test/fixtures/parse-slug.ts';
import {
  PAGE_KINDS,
  PAGES,
  affectedPages,
  allPages,
  href,
  hrefFile,
  loadPage,
  pageFile,
  pageHref,
  siteKeys,
  touchedKeys,
  type Page,
  type SiteKeys,
} from './pages.ts';

const HOSTILE = ['', '.', '..', 'index.html', 'months', 'a/b', '../../etc', 'q?x#y%41', 'é', 'x'.repeat(300)];
const KEYS: SiteKeys = {
  days: ['2026-03-01', '2026-03-02'],
  months: ['2026-03'],
  projects: ['-home-me-alpha', ...HOSTILE],
  sessions: ['0b6f3c1e-5e55-4000-8000-000000000000', ...HOSTILE],
  sessionMonths: ['2026-02', '2026-03'],
  machines: ['desk', 'laptop'],
  users: ['bob', 'me'],
};

describe('the registry', () => {
  it.each(PAGE_KINDS)('%s has keys, an href, a file, a loader and a view', (kind) => {
    const spec = PAGES[kind];
    const keys = spec.keys(KEYS);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const page = { kind, key };
      expect(pageHref(page)).toMatch(/^\/([A-Za-z0-9_~-]+\/)*$/);
      expect(pageFile(page)).toMatch(/^([A-Za-z0-9_~-]+\/)*[a-z0-9]+\.html$/);
    }
    expect(typeof spec.load).toBe('function');
    expect(spec.view).toMatch(/View$/);
  });

  it('hrefs and files round-trip: a file is its href, and names the key it was made from', () => {
    const pages = allPages(KEYS);
    for (const page of pages) {
      const path = pageHref(page);
      // The one page with a file of its own: where nginx and `ctm start` look for it.
      if (page.kind === 'notFound') {
        expect(pageFile(page)).toBe('404.html');
        continue;
      }
      expect(pageFile(page)).toBe(hrefFile(path));
      expect(`/${pageFile(page).replace(/index\.html$/, '')}`).toBe(path);
      if (page.kind === 'project' || page.kind === 'session') {
        const slug = path.split('/').at(-2)!;
        const parsed = parseSlug(slug)!;
        // An escaped slug names its key; a hashed one the key's prefix (found again among the index's keys).
        if ('key' in parsed) expect(parsed.key).toBe(page.key);
        else expect(page.key.toWellFormed().startsWith(parsed.prefix)).toBe(true);
      }
    }
    expect(new Set(pages.map(pageHref)).size).toBe(pages.length);
    expect(new Set(pages.map(pageFile)).size).toBe(pages.length);
  });

  it('links are the registry’s hrefs', () => {
    expect(href.overview()).toBe('/');
    expect(href.day('2026-03-02')).toBe('/days/2026-03-02/');
    expect(href.sessionMonth('2026-03')).toBe('/sessions/months/2026-03/');
    expect(href.project('a/b')).toBe('/projects/a~2Fb/');
    expect(href.session('a/b')).toBe(pageHref({ kind: 'session', key: 'a/b' }));
  });
});

describe('affectedPages', () => {
  const paths = (pages: Page[]) => pages.map(pageHref);

  it('lists the changed pages first, then what shows them, each once', () => {
    const changes = { days: ['2026-03-02', '2026-03-02'], sessions: ['s1'], projects: ['-home-me-alpha'] };
    expect(paths(affectedPages(touchedKeys(changes, [], { machines: true, users: true })))).toEqual([
      '/sessions/s1/',
      '/days/2026-03-02/',
      '/projects/-home-me-alpha/',
      '/',
      '/months/2026-03/',
      '/sessions/months/2026-03/',
      '/sessions/',
      '/projects/',
      '/days/',
      '/weeks/',
      '/months/',
      '/models/',
      '/blocks/',
      '/machines/',
      '/users/',
    ]);
    // A session that started last month is listed on last month's page of the session listing.
    expect(
      paths(affectedPages(touchedKeys(changes, ['2026-02']))).filter((p) =>
        p.startsWith('/sessions/months/'),
      ),
    ).toEqual(['/sessions/months/2026-02/', '/sessions/months/2026-03/']);
    expect(affectedPages(touchedKeys({ days: [], sessions: [], projects: [] }))).toEqual([]);
    // An index of one machine and user has no machines or users page to refresh.
    expect(paths(affectedPages(touchedKeys(changes))).filter((p) => /machines|users/.test(p))).toEqual([]);
    expect(paths(affectedPages(touchedKeys(changes, [], { machines: true, users: false })))).toContain(
      '/machines/',
    );
  });

  it('names a project or session of any name by its slug', () => {
    const pages = affectedPages(
      touchedKeys({ days: ['2026-03-02'], sessions: ['odd/session'], projects: ['odd#p'] }),
    );
    expect(pages.slice(0, 3)).toEqual([
      { kind: 'session', key: 'odd/session' },
      { kind: 'day', key: '2026-03-02' },
      { kind: 'project', key: 'odd#p' },
    ]);
    expect(paths(pages).filter((p) => p.includes('odd'))).toEqual([
      '/sessions/odd~2Fsession/',
      '/projects/odd~23p/',
    ]);
  });
});

describe('the loaders', () => {
  let index: SiteIndex;
  let ctx: SiteContext;

  beforeAll(() => {
    index = siteIndex(FIXTURE);
    ctx = index.context('2026-03-05T12:00:00Z');
  });
  afterAll(() => index.remove());

  it('find a page for every key of the index, of every kind', () => {
    const keys = siteKeys(ctx);
    expect(keys.days).toEqual(['2026-03-02', '2026-03-04']);
    const pages = allPages(keys);
    // One machine and one user: no machines or users page (team-pages.test.ts has an index with several).
    expect(new Set(pages.map((p) => p.kind))).toEqual(
      new Set(PAGE_KINDS.filter((k) => k !== 'machines' && k !== 'users')),
    );
    for (const page of pages) expect(loadPage(ctx, page), pageHref(page)).toBeDefined();
  });

  it.each([
    { kind: 'day', key: '2026-01-01' },
    { kind: 'month', key: '2025-12' },
    { kind: 'project', key: 'no-such-project' },
    { kind: 'session', key: 'no-such-session' },
    { kind: 'sessionMonth', key: '2025-12' },
  ] as Page[])('find no page for a key the index does not have: $kind $key', (page) => {
    expect(loadPage(ctx, page)).toBeUndefined();
  });
});
