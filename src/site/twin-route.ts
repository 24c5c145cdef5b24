// Maps a report path (`/days/2026-11-21/`) to the page that renders it, for the on-demand twin routes under
// /render/ and for the refresher. Anything that is not a report page is undefined (the twin answers 404).
// A project or session is named by its page slug (page-slug.ts); twinPage finds its key.
import type { Db } from '../db/open.ts';
import type { Page, PageKind } from './pages.ts';
import { slugKey } from './slug-key.ts';
/** A report page as its path names it: a project or session by its page slug (twinPage finds the key). */
export interface TwinMatch {
  kind: PageKind;
  slug: string;
}

export const TWIN_PREFIX = '/render';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;

export function matchTwinRoute(path: string): TwinMatch | undefined {
  let parts: string[];
  try {
    parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined; // a malformed %-escape names no page
  }
  const [a, b, c, ...rest] = parts;
  if (rest.length) return undefined;
  if (!a) return { kind: 'overview', slug: '' };
  if (c !== undefined && !(a === 'sessions' && b === 'months')) return undefined;
  switch (a) {
    case 'days':
      return b === undefined
        ? { kind: 'days', slug: '' }
        : DAY.test(b)
          ? { kind: 'day', slug: b }
          : undefined;
    case 'weeks':
      return b === undefined ? { kind: 'weeks', slug: '' } : undefined;
    case 'months':
      return b === undefined
        ? { kind: 'months', slug: '' }
        : MONTH.test(b)
          ? { kind: 'month', slug: b }
          : undefined;
    case 'projects':
      return b === undefined ? { kind: 'projects', slug: '' } : { kind: 'project', slug: b };
    case 'sessions':
      if (b === undefined) return { kind: 'sessions', slug: '' };
      if (b === 'months')
        return c !== undefined && MONTH.test(c) ? { kind: 'sessionMonth', slug: c } : undefined;
      return { kind: 'session', slug: b };
    case 'models':
      return b === undefined ? { kind: 'models', slug: '' } : undefined;
    case 'blocks':
      return b === undefined ? { kind: 'blocks', slug: '' } : undefined;
    default:
      return undefined;
  }
}

/** The page a match names, or undefined for a slug no project or session has. */
export function twinPage(db: Db, { kind, slug }: TwinMatch): Page | undefined {
  if (kind !== 'project' && kind !== 'session') return { kind, key: slug };
  const key = slugKey(db, kind, slug);
  return key === undefined ? undefined : { kind, key };
}

/** Loopback peers only: the twin routes render internal pages for the refresher, never for the outside. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
