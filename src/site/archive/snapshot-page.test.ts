// A page as a snapshot keeps it: marked with the snapshot's time, links relative, none to a page it lacks.
import { describe, expect, it } from 'vitest';
import { linkTarget, snapshotPage, snapshotTime } from './snapshot-page.ts';

const TAKEN = Date.parse('2026-08-07T00:05:31Z');
const PAGE =
  '<!doctype html><html><body><nav><ul><li><a href="/">Overview</a></li><li><a href="/days/">Days</a></li>' +
  '<li><a href="/live/">Live</a></li></ul></nav><main id="main" tabindex="-1"><h1>Day</h1>' +
  '<p>See <a href="/api/v1/usage">the API</a>, <a href="#main">the top</a>, <a href="day.csv">the CSV</a> and ' +
  '<a href="https://example.com/">elsewhere</a>.</p></main></body></html>';
const FILES = new Set([
  'index.html',
  'days/index.html',
  'days/2026-03-02/index.html',
  'days/2026-03-02/day.csv',
]);
const page = snapshotPage(PAGE, 'days/2026-03-02/index.html', TAKEN, (f) => FILES.has(f));

describe('snapshotPage', () => {
  it('opens the main landmark with the snapshot time and a link to the list of snapshots', () => {
    expect(snapshotTime(TAKEN)).toBe('2026-08-07 00:05 UTC');
    expect(page).toContain(
      '<main id="main" tabindex="-1"><p class="panel snapshot-note" role="note">Snapshot of 2026-08-07 00:05 UTC:',
    );
    // days/2026-03-02/ is two levels down in <id>/; the list is archive/index.html, beside <id>/.
    expect(page).toContain('<a href="../../../index.html">All snapshots</a>');
  });

  it('keeps the links to pages it has, relative to the page', () => {
    expect(page).toContain('<li><a href="../../index.html">Overview</a></li>');
    expect(page).toContain('<li><a href="../../days/index.html">Days</a></li>');
    expect(page).toContain('<a href="day.csv">the CSV</a>');
    expect(page).toContain('<a href="#main">the top</a>');
    expect(page).toContain('<a href="https://example.com/">elsewhere</a>');
  });

  it('drops the navigation entry of a page it lacks and leaves the text of any other such link', () => {
    expect(page).not.toContain('Live');
    expect(page).not.toContain('live/');
    expect(page).toContain('See <span>the API</span>,');
  });

  it('marks a page without a main landmark at the top of its body', () => {
    const bare = snapshotPage('<html><body><p>x</p></body></html>', 'index.html', TAKEN, () => true);
    expect(bare).toMatch(
      /^<html><body><p class="panel snapshot-note" role="note">Snapshot of 2026-08-07 00:05 UTC/,
    );
    expect(bare).toContain('<a href="../index.html">All snapshots</a>');
  });
});

describe('linkTarget', () => {
  it.each([
    ['../../days/index.html', 'days/2026-03-02/index.html', 'days/index.html'],
    ['./', 'index.html', 'index.html'],
    ['day.csv?x=1#y', 'days/2026-03-02/index.html', 'days/2026-03-02/day.csv'],
    ['../../../index.html', 'days/2026-03-02/index.html', '../index.html'],
    ['#main', 'index.html', undefined],
    ['https://example.com/', 'index.html', undefined],
    ['mailto:me@example.com', 'index.html', undefined],
    ['//cdn.example.com/x.js', 'index.html', undefined],
  ])('%s on %s → %s', (href, pagePath, target) => {
    expect(linkTarget(href, pagePath)).toBe(target);
  });
});
