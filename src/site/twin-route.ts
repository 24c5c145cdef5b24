// Maps a report path (`/days/2026-11-21/`) to the page that renders it, for the on-demand twin routes under
// /render/ and for the refresher. Anything that is not a report page is undefined (the twin answers 404).
// A project or session is named by its page slug (page-slug.ts); load/page.ts finds its key.
export type TwinPage =
  | { page: 'overview' }
  | { page: 'periods'; kind: 'day' | 'week' | 'month' }
  | { page: 'day'; day: string }
  | { page: 'month'; month: string }
  | { page: 'projects' }
  | { page: 'project'; slug: string }
  | { page: 'sessions'; month: string | null }
  | { page: 'session'; slug: string }
  | { page: 'models' }
  | { page: 'blocks' };

export const TWIN_PREFIX = '/render';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;

export function matchTwinRoute(path: string): TwinPage | undefined {
  let parts: string[];
  try {
    parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined; // a malformed %-escape names no page
  }
  const [a, b, c, ...rest] = parts;
  if (rest.length) return undefined;
  if (!a) return { page: 'overview' };
  if (c !== undefined && !(a === 'sessions' && b === 'months')) return undefined;
  switch (a) {
    case 'days':
      return b === undefined
        ? { page: 'periods', kind: 'day' }
        : DAY.test(b)
          ? { page: 'day', day: b }
          : undefined;
    case 'weeks':
      return b === undefined ? { page: 'periods', kind: 'week' } : undefined;
    case 'months':
      return b === undefined
        ? { page: 'periods', kind: 'month' }
        : MONTH.test(b)
          ? { page: 'month', month: b }
          : undefined;
    case 'projects':
      return b === undefined ? { page: 'projects' } : { page: 'project', slug: b };
    case 'sessions':
      if (b === undefined) return { page: 'sessions', month: null };
      if (b === 'months')
        return c !== undefined && MONTH.test(c) ? { page: 'sessions', month: c } : undefined;
      return { page: 'session', slug: b };
    case 'models':
      return b === undefined ? { page: 'models' } : undefined;
    case 'blocks':
      return b === undefined ? { page: 'blocks' } : undefined;
    default:
      return undefined;
  }
}

/** Loopback peers only: the twin routes render internal pages for the refresher, never for the outside. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
