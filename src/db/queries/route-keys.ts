// The keys the report site has pages for (days, months, projects, sessions): the page registry's keys
// (src/site/pages.ts), from which the build's page list is made.
import type { Db } from '../open.ts';
import { prepareCached, dayBucketCached } from './prepare-cached.ts';

export interface RouteKeys {
  days: string[];
  months: string[];
  projects: string[];
  /** Every project and session key: each has a page, at its slug (src/site/page-slug.ts). */
  sessions: string[];
}

export function routeKeys(db: Db, timezone: string): RouteKeys {
  const day = dayBucketCached(db, timezone);
  const days = prepareCached(db, `SELECT DISTINCT ${day} FROM usage ORDER BY 1`).pluck().all() as string[];
  const projects = prepareCached(db, 'SELECT DISTINCT project FROM usage ORDER BY 1')
    .pluck()
    .all() as string[];
  const sessions = prepareCached(db, 'SELECT DISTINCT session_id FROM usage ORDER BY 1')
    .pluck()
    .all() as string[];
  return {
    days,
    months: [...new Set(days.map((d) => d.slice(0, 7)))],
    projects,
    sessions,
  };
}
