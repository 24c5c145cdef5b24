// Locates the nginx binary (CTM_NGINX_BIN, then PATH, then the usual sbin dirs) and the mime.types file
// beside its configuration, so the native stack runs Debian's, Homebrew's or a hand-built nginx.
import { accessSync, constants, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { delimiter, dirname, join } from 'node:path';
import { ConfigError } from '../config.ts';

export interface NginxInstall {
  bin: string;
  version: string;
  mimeTypes: string;
}

const SBIN_DIRS = ['/usr/sbin', '/usr/local/sbin', '/opt/homebrew/bin', '/usr/local/bin'];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findNginx(explicit: string | undefined, pathEnv = '', sbinDirs = SBIN_DIRS): NginxInstall {
  let bin: string | undefined;
  if (explicit?.trim()) {
    bin = explicit.trim();
    if (!isExecutable(bin)) throw new ConfigError('CTM_NGINX_BIN', `${bin} is not an executable nginx`);
  } else {
    const dirs = [...pathEnv.split(delimiter).filter(Boolean), ...sbinDirs];
    bin = dirs.map((dir) => join(dir, 'nginx')).find(isExecutable);
  }
  if (!bin) {
    throw new ConfigError(
      'CTM_NGINX_BIN',
      'nginx not found; install it (Debian/Ubuntu: apt-get install nginx, macOS: brew install nginx) ' +
        'or set CTM_NGINX_BIN to its path',
    );
  }
  // `nginx -V` prints its version and build flags on stderr; --conf-path tells where mime.types lives.
  const probe = spawnSync(bin, ['-V'], { encoding: 'utf8' });
  const text = `${probe.stdout ?? ''}${probe.stderr ?? ''}`;
  const version = /nginx\/(\S+)/.exec(text)?.[1];
  if (probe.status !== 0 || !version)
    throw new ConfigError('CTM_NGINX_BIN', `${bin} -V failed: ${text.trim()}`);
  const confPath = /--conf-path=(\S+)/.exec(text)?.[1] ?? '/etc/nginx/nginx.conf';
  const candidates = [
    join(dirname(confPath), 'mime.types'),
    '/etc/nginx/mime.types',
    '/usr/local/etc/nginx/mime.types',
    '/opt/homebrew/etc/nginx/mime.types',
  ];
  const mimeTypes = candidates.find((path) => existsSync(path));
  if (!mimeTypes) throw new ConfigError('CTM_NGINX_BIN', `no mime.types found beside ${confPath}`);
  return { bin, version, mimeTypes };
}
