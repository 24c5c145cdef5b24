// The unprivileged user nginx's workers run as when `npm run stack` is started as root (a root master would
// otherwise keep them root): www-data, nginx or nobody, whichever exists. It must be able to reach the site
// and the archive; checked up front by trying as that user, so a private data dir is one clear line, not a
// site of 403s.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../config.ts';

export interface WorkerUser {
  name: string;
  group: string;
  uid: number;
  gid: number;
}

const CANDIDATES = ['www-data', 'nginx', 'nobody'];

function entries(file: string): string[][] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => line.split(':'));
  } catch {
    return [];
  }
}

export function unprivilegedUser(passwd = '/etc/passwd', group = '/etc/group'): WorkerUser {
  const users = entries(passwd);
  const groups = entries(group);
  for (const name of CANDIDATES) {
    const user = users.find((u) => u[0] === name);
    if (!user) continue;
    const uid = Number(user[2]);
    const gid = Number(user[3]);
    const groupName = groups.find((g) => Number(g[2]) === gid)?.[0];
    if (uid !== 0 && groupName) return { name, group: groupName, uid, gid };
  }
  throw new ConfigError(
    'CTM_NGINX_BIN',
    `running as root, but none of the users ${CANDIDATES.join(', ')} exists for nginx's workers; run npm run stack as an ordinary user`,
  );
}

/** The deepest part of `path` that exists: what the worker must be able to enter before ctm creates the rest. */
function existingPart(path: string): string {
  let p = path;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}

export function assertReachable(user: WorkerUser, paths: readonly string[], setting: string): void {
  for (const path of paths) {
    const dir = existingPart(path);
    const probe = spawnSync('/bin/sh', ['-c', 'cd -- "$1"', 'sh', dir], {
      uid: user.uid,
      gid: user.gid,
      stdio: 'ignore',
    });
    if (probe.status !== 0) {
      throw new ConfigError(
        setting,
        `nginx's workers run as ${user.name} (npm run stack was started as root), which cannot enter ${dir}; ` +
          'make it and the dirs above it searchable by others (chmod o+x) or run npm run stack as an ordinary user',
      );
    }
  }
}
