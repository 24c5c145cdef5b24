// Every internal link of the report site in one place. Links are root-absolute with a trailing slash; the
// snapshot copy rewrites them to relative file links so an archive works from file://.
export const href = {
  overview: () => '/',
  days: () => '/days/',
  day: (day: string) => `/days/${day}/`,
  weeks: () => '/weeks/',
  months: () => '/months/',
  month: (month: string) => `/months/${month}/`,
  projects: () => '/projects/',
  project: (project: string) => `/projects/${encodeURIComponent(project)}/`,
  sessions: () => '/sessions/',
  sessionMonth: (month: string) => `/sessions/months/${month}/`,
  session: (id: string) => `/sessions/${encodeURIComponent(id)}/`,
  models: () => '/models/',
  blocks: () => '/blocks/',
};
