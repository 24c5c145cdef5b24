// What `--project` and `?project=` name: a project key (the folder name under projects/), the display name
// every page shows, or a working directory of the project's messages (or its last folder). A key wins, then a
// display name; a folder that fits several projects is ambiguous and the candidates are listed by display name.
import type { ProjectName } from '../db/queries/project-names.ts';
import { projectDisplayNames } from './project-display-names.ts';

export type ProjectMatch =
  | { kind: 'found'; project: string }
  | { kind: 'ambiguous'; candidates: ProjectName[] }
  | { kind: 'unknown'; known: ProjectName[] };

function basename(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).at(-1) ?? path;
}

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/[\\/]+$/, '') : path;
}

/** One label per project: its first working directory, or its key when no message has one. */
function byProject(names: readonly ProjectName[]): ProjectName[] {
  const first = new Map<string, ProjectName>();
  for (const n of names) {
    const seen = first.get(n.project);
    if (!seen || (seen.cwd === null && n.cwd !== null)) first.set(n.project, n);
  }
  return [...first.values()];
}

export function resolveProject(input: string, names: readonly ProjectName[]): ProjectMatch {
  if (names.some((n) => n.project === input)) return { kind: 'found', project: input };
  const labels = [...projectDisplayNames(names)];
  const byName =
    labels.find(([, l]) => l.name === input) ??
    labels.find(([, l]) => l.name.normalize('NFC').toLowerCase() === input.normalize('NFC').toLowerCase());
  if (byName) return { kind: 'found', project: byName[0] };
  const wanted = trimSlash(input);
  const tests = [(cwd: string) => cwd === wanted, (cwd: string) => basename(cwd) === wanted];
  for (const test of tests) {
    // The matching working directory of each project it fits, so a candidate is listed by what matched.
    const hits = byProject(names.filter((n) => n.cwd !== null && test(trimSlash(n.cwd))));
    if (hits.length === 1) return { kind: 'found', project: hits[0]!.project };
    if (hits.length > 1) return { kind: 'ambiguous', candidates: hits };
  }
  return { kind: 'unknown', known: byProject(names) };
}

/** "name (cwd)" for a candidate, its display name among `names`; the name alone when it has no directory. */
export function describeProject(n: ProjectName, names: readonly ProjectName[]): string {
  const name = projectDisplayNames(names).get(n.project)?.name ?? n.project;
  return n.cwd === null || n.cwd === name ? name : `${name} (${n.cwd})`;
}
