// One display name per project, the same on every page, in the CLI, the API and metrics: the last segment of
// the project's working directory, extended by parent segments only as far as needed to tell it from every
// other project's. A project whose messages name no working directory is shown by its key.
import type { ProjectName } from '../db/queries/project-names.ts';

export interface ProjectLabel {
  /** Short and unique among the index's projects ("python", or "work/python" when another is "home/python"). */
  name: string;
  /** The project's working directory as the messages name it (its key when they name none). */
  path: string;
}

/** Claude Code's folder name for a working directory: every character but an ASCII letter or digit is '-'. */
export function encodeProjectFolder(cwd: string): string {
  return cwd.replace(/[^a-zA-Z0-9]/g, '-');
}

export function pathSegments(path: string): string[] {
  return path
    .normalize('NFC')
    .split(/[\\/]+/)
    .filter(Boolean);
}

/** The project's own directory among its messages' cwds: the one its folder encodes, else the least (the root
 *  where Claude Code also ran in a subdirectory). */
function projectPaths(names: readonly ProjectName[]): Map<string, string> {
  const cwds = new Map<string, string[]>();
  for (const n of names) {
    const list = cwds.get(n.project) ?? [];
    if (n.cwd !== null && n.cwd !== '') list.push(n.cwd);
    cwds.set(n.project, list);
  }
  const paths = new Map<string, string>();
  for (const [project, list] of cwds) {
    const own = list.find((cwd) => encodeProjectFolder(cwd) === project);
    paths.set(project, own ?? [...list].sort()[0] ?? project);
  }
  return paths;
}

/** Names compare case- and normalization-blind: "App" and "app" would be two entries a person cannot tell. */
function sameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

export function projectDisplayNames(names: readonly ProjectName[]): Map<string, ProjectLabel> {
  const paths = projectPaths(names);
  const projects = [...paths.keys()].sort();
  const segments = new Map(projects.map((p) => [p, pathSegments(paths.get(p)!)]));
  const depth = new Map(projects.map((p) => [p, 1]));
  const nameOf = (p: string): string => {
    const s = segments.get(p)!;
    return s.length === 0 ? paths.get(p)! : s.slice(-depth.get(p)!).join('/');
  };
  // Every round lengthens the names that still collide by one parent; a name that has no parent left keeps
  // its length, so the loop ends once no colliding name can grow.
  for (;;) {
    const groups = new Map<string, string[]>();
    for (const p of projects) {
      const key = sameKey(nameOf(p));
      groups.set(key, [...(groups.get(key) ?? []), p]);
    }
    let grew = false;
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      for (const p of group) {
        if (depth.get(p)! < segments.get(p)!.length) {
          depth.set(p, depth.get(p)! + 1);
          grew = true;
        }
      }
    }
    if (!grew) break;
  }
  const counts = new Map<string, number>();
  for (const p of projects) counts.set(sameKey(nameOf(p)), (counts.get(sameKey(nameOf(p))) ?? 0) + 1);
  const labels = new Map<string, ProjectLabel>();
  for (const p of projects) {
    // Two folders for one path (Claude Code maps "a.b" and "a-b" to one folder, so it takes two machines or a
    // renamed folder): the key tells them apart.
    const name = nameOf(p);
    const unique = counts.get(sameKey(name)) === 1 || name === p;
    labels.set(p, { name: unique ? name : `${name} (${p})`, path: paths.get(p)! });
  }
  return labels;
}
