// Data for `/projects/`: every project with its all-time sums, biggest cost first.
import type { SiteContext } from '../site-context.ts';
import { usageBreakdown, type BreakdownRow } from '../../db/queries/usage-breakdown.ts';

export interface ProjectsData {
  tz: string;
  projects: BreakdownRow[];
}

export function loadProjects(ctx: SiteContext): ProjectsData {
  return { tz: ctx.filter.timezone, projects: usageBreakdown(ctx.db, 'project', ctx.filter) };
}
