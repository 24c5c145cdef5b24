// Which report pages a change touches: for each changed day its page, month, and the listings; for each
// session its page and its month of the session listing (the month it started in, which the caller knows from
// the index: a session that began last month and goes on today is listed on last month's page); for each
// project its page; and the pages that show everything (overview, project and session listings, models,
// blocks). Most specific pages first, so the pages people are looking at land soonest. Every project and
// session has a page, whatever its name (page-slug.ts).
import type { ChangeSet } from '../../ingest/change-set.ts';
import { href } from './hrefs.ts';

export function affectedPaths(
  changes: Pick<ChangeSet, 'days' | 'sessions' | 'projects'>,
  sessionStartMonths: Iterable<string> = [],
): string[] {
  if (changes.days.size === 0 && changes.sessions.size === 0 && changes.projects.size === 0) return [];
  const months = new Set([...changes.days].map((d) => d.slice(0, 7)));
  const sessionMonths = new Set([...months, ...sessionStartMonths]);
  const paths = [
    ...[...changes.sessions].sort().map(href.session),
    ...[...changes.days].sort().map(href.day),
    ...[...changes.projects].sort().map(href.project),
    href.overview(),
    ...[...months].sort().map(href.month),
    ...[...sessionMonths].sort().map(href.sessionMonth),
    href.sessions(),
    href.projects(),
    href.days(),
    href.weeks(),
    href.months(),
    href.models(),
    href.blocks(),
  ];
  return [...new Set(paths)];
}
