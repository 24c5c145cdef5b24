// What `--project` names: a key, the display name the pages show, or a working directory.
import { describe, expect, it } from 'vitest';
import { describeProject, resolveProject } from './resolve-project.ts';

const names = [
  { project: '-home-me-repo', cwd: '/home/me/repo' },
  { project: '-home-me-repo', cwd: '/home/me/repo/packages/web' },
  { project: '-srv-work-repo', cwd: '/srv/work/repo' },
  { project: '-home-me-other', cwd: '/home/me/other' },
  { project: 'imported', cwd: null },
];

describe('resolveProject', () => {
  it.each([
    ['-home-me-other', '-home-me-other'],
    ['imported', 'imported'],
    ['other', '-home-me-other'],
    ['/home/me/repo', '-home-me-repo'],
    ['/home/me/repo/', '-home-me-repo'],
    ['/srv/work/repo', '-srv-work-repo'],
    // Another working directory of a project names it too.
    ['web', '-home-me-repo'],
    ['/home/me/repo/packages/web', '-home-me-repo'],
    // The display names: "repo" is two projects', so each is named with its parent.
    ['me/repo', '-home-me-repo'],
    ['work/repo', '-srv-work-repo'],
    ['Work/Repo', '-srv-work-repo'],
  ])('%s → %s', (input, project) => {
    expect(resolveProject(input, names)).toEqual({ kind: 'found', project });
  });

  it('a folder name two projects share is ambiguous, each listed by the path that matched', () => {
    expect(resolveProject('repo', names)).toEqual({
      kind: 'ambiguous',
      candidates: [
        { project: '-home-me-repo', cwd: '/home/me/repo' },
        { project: '-srv-work-repo', cwd: '/srv/work/repo' },
      ],
    });
  });

  it('an unknown name lists every project once', () => {
    const match = resolveProject('nowhere', names);
    expect(match).toEqual({
      kind: 'unknown',
      known: [
        { project: '-home-me-repo', cwd: '/home/me/repo' },
        { project: '-srv-work-repo', cwd: '/srv/work/repo' },
        { project: '-home-me-other', cwd: '/home/me/other' },
        { project: 'imported', cwd: null },
      ],
    });
    expect(resolveProject('x', [])).toEqual({ kind: 'unknown', known: [] });
  });

  it('describeProject: display name and path, or the name alone', () => {
    expect(describeProject(names[0]!, names)).toBe('me/repo (/home/me/repo)');
    expect(describeProject(names[1]!, names)).toBe('me/repo (/home/me/repo/packages/web)');
    expect(describeProject(names[4]!, names)).toBe('imported');
  });
});
