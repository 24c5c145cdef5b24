// Display names: the last folder, lengthened only where two projects would share it.
import { describe, expect, it } from 'vitest';
import { encodeProjectFolder, projectDisplayNames } from './project-display-names.ts';

function namesOf(cwds: Record<string, (string | null)[]>): Record<string, string> {
  const list = Object.entries(cwds).flatMap(([project, paths]) => paths.map((cwd) => ({ project, cwd })));
  return Object.fromEntries([...projectDisplayNames(list)].map(([p, l]) => [p, l.name]));
}

describe('projectDisplayNames', () => {
  it('a unique last folder is the name; the path is the folder the key encodes', () => {
    const labels = projectDisplayNames([
      { project: '-home-me-src-api', cwd: '/home/me/src/api' },
      { project: '-home-me-src-api', cwd: '/home/me/src/api/packages/db' },
      { project: '-home-me-web', cwd: '/home/me/web' },
    ]);
    expect([...labels]).toEqual([
      ['-home-me-src-api', { name: 'api', path: '/home/me/src/api' }],
      ['-home-me-web', { name: 'web', path: '/home/me/web' }],
    ]);
  });

  it('the folder the key encodes wins over a lesser cwd (Claude Code run elsewhere)', () => {
    const labels = projectDisplayNames([
      { project: '-work-python', cwd: '/a/Claude' },
      { project: '-work-python', cwd: '/work/python' },
    ]);
    expect(labels.get('-work-python')).toEqual({ name: 'python', path: '/work/python' });
  });

  it('collisions take parents only as far as needed', () => {
    expect(
      namesOf({
        '-home-me-dl': ['/home/me/dl'],
        '-srv-dl': ['/srv/dl'],
        '-home-me-a-boot': ['/home/me/a/boot'],
        '-home-me-b-boot': ['/home/me/b/boot'],
        '-x-y-mayor': ['/x/y/mayor'],
      }),
    ).toEqual({
      '-home-me-dl': 'me/dl',
      '-srv-dl': 'srv/dl',
      '-home-me-a-boot': 'a/boot',
      '-home-me-b-boot': 'b/boot',
      '-x-y-mayor': 'mayor',
    });
  });

  it('three of a name: a pair that still shares the parent goes one further', () => {
    expect(
      namesOf({
        '-a-x-db': ['/a/x/db'],
        '-b-x-db': ['/b/x/db'],
        '-c-y-db': ['/c/y/db'],
      }),
    ).toEqual({ '-a-x-db': 'a/x/db', '-b-x-db': 'b/x/db', '-c-y-db': 'y/db' });
  });

  it('a path that is the tail of another keeps its whole self', () => {
    expect(namesOf({ '-dl': ['/dl'], '-home-dl': ['/home/dl'] })).toEqual({
      '-dl': 'dl',
      '-home-dl': 'home/dl',
    });
  });

  it('Windows paths split at backslashes; drive letters are segments; case does not make two names', () => {
    expect(
      namesOf({
        'C--Users-me-App': ['C:\\Users\\me\\App'],
        'D--work-app': ['D:\\work\\app'],
        'C--Users-me-tools': ['C:\\Users\\me\\tools\\'],
      }),
    ).toEqual({ 'C--Users-me-App': 'me/App', 'D--work-app': 'work/app', 'C--Users-me-tools': 'tools' });
  });

  it('non-ASCII folders keep their letters (NFC, so a macOS NFD path names the same)', () => {
    const nfd = '/Users/me/Caf\u0065\u0301';
    const labels = projectDisplayNames([
      { project: encodeProjectFolder(nfd), cwd: nfd },
      { project: '-srv-プロジェクト', cwd: '/srv/プロジェクト' },
      { project: '-srv-Caf-', cwd: '/srv/Caf\u00e9' },
    ]);
    expect(labels.get(encodeProjectFolder(nfd))!.name).toBe('me/Caf\u00e9');
    expect(labels.get('-srv-Caf-')!.name).toBe('srv/Caf\u00e9');
    expect(labels.get('-srv-プロジェクト')).toEqual({ name: 'プロジェクト', path: '/srv/プロジェクト' });
  });

  it('one path under two keys is told apart by the key; no cwd shows the key', () => {
    expect(
      namesOf({
        '-a-b-c': ['/a/b.c'],
        '-a-b-c-': ['/a/b.c'],
        imported: [null],
        '-root': ['/'],
      }),
    ).toEqual({
      '-a-b-c': 'a/b.c (-a-b-c)',
      '-a-b-c-': 'a/b.c (-a-b-c-)',
      imported: 'imported',
      '-root': '/',
    });
  });

  it('every name is unique whatever the list', () => {
    const list = ['/a/b/c', '/b/c', '/c', '/x/a/b/c', 'C:\\b\\c', '/srv/c/'].map((cwd, i) => ({
      project: `p${i}`,
      cwd,
    }));
    const names = [...projectDisplayNames(list).values()].map((l) => l.name.toLowerCase());
    expect(new Set(names).size).toBe(list.length);
  });

  it('encodeProjectFolder matches Claude Code’s folder names', () => {
    expect(encodeProjectFolder('/home/me/.config/my_app')).toBe('-home-me--config-my-app');
    expect(encodeProjectFolder('C:\\Users\\me')).toBe('C--Users-me');
  });
});
