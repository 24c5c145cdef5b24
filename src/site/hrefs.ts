// Every internal link of the report site in one place. Links are root-absolute with a trailing slash; the
// snapshot copy rewrites them to relative file links so an archive works from file://. A project's or
// session's segment is its page slug (page-slug.ts), a file name and a URL whatever the key holds.
import { pageSlug } from './page-slug.ts';

export const href = {
  overview: () => '/',
  days: () => '/days/',
  day: (day: string) => `/days/${day}/`,
  weeks: () => '/weeks/',
  months: () => '/months/',
  month: (month: string) => `/months/${month}/`,
  projects: () => '/projects/',
  project: (project: string) => `/projects/${pageSlug(project)}/`,
  sessions: () => '/sessions/',
  sessionMonth: (month: string) => `/sessions/months/${month}/`,
  session: (id: string) => `/sessions/${pageSlug(id)}/`,
  models: () => '/models/',
  blocks: () => '/blocks/',
};
