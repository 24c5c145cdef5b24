// The filter every report-site query takes: the timezone and cost mode from config plus an optional day range,
// project or session. Builds the WHERE clause against the local-day expression so every page agrees.
import type { Db } from '../open.ts';
import { dayBucketCached } from './prepare-cached.ts';
import { costExpr, type CostMode } from '../day-bucket.ts';

export interface SiteFilter {
  timezone: string;
  costMode: CostMode;
  fromDay?: string | undefined;
  toDay?: string | undefined;
  project?: string | undefined;
  sessionId?: string | undefined;
}

export interface SiteSql {
  day: string;
  cost: string;
  where: string;
  params: Record<string, string>;
}

export function siteSql(db: Db, f: SiteFilter): SiteSql {
  const day = dayBucketCached(db, f.timezone);
  const clauses: string[] = [];
  const params: Record<string, string> = {};
  if (f.fromDay) {
    clauses.push(`${day} >= @fromDay`);
    params.fromDay = f.fromDay;
  }
  if (f.toDay) {
    clauses.push(`${day} <= @toDay`);
    params.toDay = f.toDay;
  }
  if (f.project) {
    clauses.push('project = @project');
    params.project = f.project;
  }
  if (f.sessionId) {
    clauses.push('session_id = @sessionId');
    params.sessionId = f.sessionId;
  }
  return {
    day,
    cost: costExpr(f.costMode),
    where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '',
    params,
  };
}

export { sumColumns, type Sums } from '../sum-columns.ts';
