// Where the report site lives in the data dir: releases, the `current` and `server-current` symlinks, the
// build record and the staging area. One definition, used by build, refresh, snapshot and `ctm start`.
import { join } from 'node:path';

export interface SitePaths {
  root: string;
  releases: string;
  staging: string;
  /** Symlink to the published static site (releases/<id>/site). */
  current: string;
  /** Symlink to the same build's server bundle (releases/<id>/server); entry.mjs exports `handler`. */
  serverCurrent: string;
  buildJson: string;
  lock: string;
  archive: string;
  cache: string;
}

export function sitePaths(dataDir: string): SitePaths {
  const root = join(dataDir, 'site');
  return {
    root,
    releases: join(root, 'releases'),
    staging: join(root, 'staging'),
    current: join(root, 'current'),
    serverCurrent: join(root, 'server-current'),
    buildJson: join(root, 'build.json'),
    lock: join(root, 'build.lock'),
    archive: join(dataDir, 'archive'),
    cache: join(dataDir, 'cache'),
  };
}

/** The server bundle's entry inside the published build. */
export function serverEntry(dataDir: string): string {
  return join(sitePaths(dataDir).serverCurrent, 'entry.mjs');
}
