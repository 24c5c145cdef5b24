// Data for `/projects/`: every project with its all-time sums, biggest cost first.
import type { SiteContext } from '../site-context.ts';
import { usageBreakdown, type BreakdownRow } from '../../db/queries/usage-breakdown.ts';
import { nameProjects, type ProjectNamed } from '../project-labels.ts';

export interface ProjectsData {
  tz: string;
  projects: (BreakdownRow & ProjectNamed)[];
}

export function loadProjects(ctx: SiteContext): ProjectsData {
  return {
    tz: ctx.filter.timezone,
    projects: nameProjects(ctx.db, usageBreakdown(ctx.db, 'project', ctx.filter)),
  };
}
