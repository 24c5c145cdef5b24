// Every project with the working directories its messages name: what `--project` is matched against (the
// key, i.e. the folder name under projects/, the basename of a cwd as the pages show it, or a full cwd).
import type { Db } from '../open.ts';

export interface ProjectName {
  project: string;
  cwd: string | null;
}

/** True when `project` is a project key with counted messages (an index lookup, no scan). */
export function isProjectKey(db: Db, project: string): boolean {
  return db.prepare('SELECT 1 FROM usage WHERE project = ? LIMIT 1').get(project) !== undefined;
}

export function projectNames(db: Db): ProjectName[] {
  return db.prepare('SELECT DISTINCT project, cwd FROM usage ORDER BY project, cwd').all() as ProjectName[];
}
