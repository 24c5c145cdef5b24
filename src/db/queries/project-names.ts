// Every project with the working directories its messages name: what `--project` is matched against (the
// key, i.e. the folder name under projects/, the basename of a cwd as the pages show it, or a full cwd).
import type { Db } from '../open.ts';

/** The schema version that keeps project_cwds. */
const PROJECT_CWDS = 11;

export interface ProjectName {
  project: string;
  cwd: string | null;
}

/** True when `project` is a project key with counted messages (an index lookup, no scan). */
export function isProjectKey(db: Db, project: string): boolean {
  return db.prepare('SELECT 1 FROM usage WHERE project = ? LIMIT 1').get(project) !== undefined;
}

/** Kept by the ingest and the hub in project_cwds (migration 011): a few rows per project, read in well under
 *  a millisecond. An index of an older schema (read-only, not migrated yet) is read from its messages. */
export function projectNames(db: Db): readonly ProjectName[] {
  const kept = (db.pragma('user_version', { simple: true }) as number) >= PROJECT_CWDS;
  return db
    .prepare(
      kept
        ? `SELECT project, nullif(cwd, '') AS cwd FROM project_cwds ORDER BY project, cwd`
        : 'SELECT DISTINCT project, cwd FROM usage ORDER BY project, cwd',
    )
    .all() as ProjectName[];
}
