// One page of a snapshot as it is archived: links made relative (relative-links.ts), a note at the top of the
// page saying when the snapshot was taken, and every link to a page the snapshot does not hold (the on-demand
// /live/ and /api/ routes) taken out, a navigation entry with its list item, any other link leaving its text,
// so that no link inside a snapshot leads to a 404. The note's one link, to the list of snapshots beside it,
// leaves the snapshot on purpose. Pure: text in, text out.
import { posix } from 'node:path';
import { escapeHtml } from '../../format/escape-html.ts';
import { relativeLinks } from '../relative-links.ts';

/** "2026-08-07 00:05 UTC": when the snapshot was taken, to the minute. */
export function snapshotTime(takenAt: number): string {
  return `${new Date(takenAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The file a relative link of the page points at, or undefined for a fragment, another site or a scheme. */
export function linkTarget(href: string, pagePath: string): string | undefined {
  if (href === '' || href.startsWith('#') || href.startsWith('//') || /^[a-z][a-z0-9+.-]*:/i.test(href))
    return undefined;
  const cut = href.search(/[?#]/);
  const path = cut === -1 ? href : href.slice(0, cut);
  const target = posix.normalize(posix.join(posix.dirname(pagePath), path)).replace(/^\.(\/|$)/, '');
  return target === '' || target.endsWith('/') ? `${target}index.html` : target;
}

const NAV_ITEM = /<li>\s*<a\b[^>]*\bhref="([^"]*)"[^>]*>[^<]*<\/a>\s*<\/li>/g;
const LINK = /<a\b[^>]*\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g;

export function snapshotPage(
  html: string,
  pagePath: string,
  takenAt: number,
  has: (file: string) => boolean,
): string {
  const missing = (href: string) => {
    const target = linkTarget(href, pagePath);
    return target !== undefined && (target.startsWith('../') || !has(target));
  };
  const depth = pagePath.split('/').filter(Boolean).length - 1;
  const note =
    `<p class="panel snapshot-note" role="note">Snapshot of ${escapeHtml(snapshotTime(takenAt))}: these reports as ` +
    `they were then. <a href="${'../'.repeat(depth)}../index.html">All snapshots</a></p>`;
  const page = relativeLinks(html, pagePath)
    .replace(NAV_ITEM, (item, href: string) => (missing(href) ? '' : item))
    .replace(LINK, (link, href: string, text: string) => (missing(href) ? `<span>${text}</span>` : link));
  const main = /<main\b[^>]*>/.exec(page) ?? /<body\b[^>]*>/.exec(page);
  if (!main) return note + page;
  const at = main.index + main[0].length;
  return page.slice(0, at) + note + page.slice(at);
}
