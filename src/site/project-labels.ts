// The display names of the index's projects for a page's loader, and rows carrying them, so every table and
// heading shows one name per project. The names depend on every project in the index, so they are read again
// only after another connection committed (SQLite's data_version), never per row or per page.
import type { Db } from '../db/open.ts';
import { projectNames } from '../db/queries/project-names.ts';
import { projectDisplayNames, type ProjectLabel } from '../report/project-display-names.ts';

export interface ProjectNamed {
  projectName: string;
  /** The project's working directory (the tooltip of a short name, the subtitle of its page). */
  projectPath: string;
}

const cache = new WeakMap<Db, { version: number; labels: ReadonlyMap<string, ProjectLabel> }>();

export function projectLabels(db: Db): ReadonlyMap<string, ProjectLabel> {
  const version = db.pragma('data_version', { simple: true }) as number;
  const hit = cache.get(db);
  if (hit && hit.version === version) return hit.labels;
  const labels = projectDisplayNames(projectNames(db));
  cache.set(db, { version, labels });
  return labels;
}

export function projectLabel(db: Db, project: string): ProjectLabel {
  return projectLabels(db).get(project) ?? { name: project, path: project };
}

/** Session rows (keyed by `project`) with their project's display name. */
export function nameSessions<T extends { project: string }>(
  db: Db,
  rows: readonly T[],
): (T & ProjectNamed)[] {
  return rows.map((r) => {
    const l = projectLabel(db, r.project);
    return { ...r, projectName: l.name, projectPath: l.path };
  });
}

/** Breakdown rows by project (keyed by `key`) with their display name. */
export function nameProjects<T extends { key: string }>(db: Db, rows: readonly T[]): (T & ProjectNamed)[] {
  return rows.map((r) => {
    const l = projectLabel(db, r.key);
    return { ...r, projectName: l.name, projectPath: l.path };
  });
}
