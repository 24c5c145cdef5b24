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

const read = new WeakMap<Db, { version: number; names: readonly ProjectName[] }>();

/** On a read-only connection, read again only after a commit (SQLite's data_version, which only another
 * connection's commits move: so a writer's own reads are never cached). The pairs are distinct over every
 * message, a scan of the whole index (seconds on a hub's 3 million responses), which each API request naming
 * projects would otherwise pay. */
export function projectNames(db: Db): readonly ProjectName[] {
  if (!db.readonly) return readNames(db);
  const version = db.pragma('data_version', { simple: true }) as number;
  const hit = read.get(db);
  if (hit && hit.version === version) return hit.names;
  const names = readNames(db);
  read.set(db, { version, names });
  return names;
}

function readNames(db: Db): ProjectName[] {
  return db.prepare('SELECT DISTINCT project, cwd FROM usage ORDER BY project, cwd').all() as ProjectName[];
}
