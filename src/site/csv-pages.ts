// Each page kind's tables as CSV, from the data its loader gave the view (pages.ts hands both the same object):
// a page with one table writes index.csv beside its index.html, a page with several names each file for its
// table. A table the view leaves out (no stats-cache days, a single machine) has no file either. The names
// here are the ones the views pass to their tables' CsvLink.
import type { OverviewData } from './load/overview.ts';
import type { TeamBreakdownData } from './load/team-breakdown.ts';
import type { PeriodsData } from './load/periods.ts';
import type { DayData } from './load/day.ts';
import type { MonthData } from './load/month.ts';
import type { ProjectsData } from './load/projects.ts';
import type { ProjectData } from './load/project.ts';
import type { SessionsData } from './load/sessions.ts';
import type { SessionData } from './load/session.ts';
import type { ModelsData } from './load/models.ts';
import type { BlocksData } from './load/blocks.ts';
import type { TeamData } from './load/team.ts';
import { pageSlug } from './page-slug.ts';
import {
  blocksTable,
  breakdownTable,
  periodTable,
  ratesTable,
  sessionTable,
  statsCacheTable,
  teamTable,
  type CsvTable,
} from './csv-tables.ts';

const STATS_CACHE = 'stats-cache-days';
const statsCache = (days: PeriodsData['statsCacheDays']): CsvTable[] =>
  days.length ? [statsCacheTable(STATS_CACHE, days)] : [];

export function overviewCsv(d: OverviewData & { team?: TeamBreakdownData | undefined }): CsvTable[] {
  return [
    breakdownTable('top-projects', 'project', d.topProjects, { compact: true }),
    breakdownTable('top-models', 'model', d.topModels, { compact: true }),
    ...statsCache(d.statsCacheDays),
    ...(d.team?.machines.length ? [teamTable('top-machines', 'machine', d.team.machines)] : []),
    ...(d.team?.users.length ? [teamTable('top-users', 'user', d.team.users)] : []),
  ];
}

const PERIOD_HEAD = { day: 'Day', week: 'Week', month: 'Month' } as const;

export function periodsCsv(d: PeriodsData): CsvTable[] {
  return [
    periodTable('index', PERIOD_HEAD[d.kind], d.rows, d.kind !== 'day'),
    ...statsCache(d.statsCacheDays),
  ];
}

export function dayCsv(d: DayData): CsvTable[] {
  return [
    breakdownTable('models', 'model', d.models),
    breakdownTable('projects', 'project', d.projects),
    sessionTable('sessions', d.sessions),
  ];
}

export function monthCsv(d: MonthData): CsvTable[] {
  return [
    breakdownTable('models', 'model', d.models),
    breakdownTable('projects', 'project', d.projects),
    periodTable('days', 'Day', d.days),
  ];
}

export const projectsCsv = (d: ProjectsData): CsvTable[] => [breakdownTable('index', 'project', d.projects)];

export function projectCsv(d: ProjectData): CsvTable[] {
  return [breakdownTable('models', 'model', d.models), sessionTable('sessions', d.sessions, false)];
}

export const sessionsCsv = (d: SessionsData): CsvTable[] => [sessionTable('index', d.sessions)];

export function sessionCsv(d: SessionData): CsvTable[] {
  return [
    breakdownTable('models', 'model', d.models, { sessions: false }),
    breakdownTable('threads', 'agent', d.agents, { sessions: false }),
  ];
}

export function modelsCsv(d: ModelsData): CsvTable[] {
  return [breakdownTable('index', 'model', d.models), ratesTable('rates', d.models)];
}

export const blocksCsv = (d: BlocksData): CsvTable[] => [blocksTable('index', d.recent, d.limit)];

/** The file name of a machine's or user's sessions table on its page. */
export const memberSessionsCsv = (key: string): string => `sessions-${pageSlug(key)}`;

export function teamCsv(d: TeamData): CsvTable[] {
  return [
    teamTable('index', d.by, d.members),
    ...d.members.map((m) => sessionTable(memberSessionsCsv(m.key), m.sessionList)),
  ];
}
