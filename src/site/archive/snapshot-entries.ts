// The complete snapshots in archive/: a <UTC timestamp>/ directory with its <timestamp>.tar.gz beside it. A
// directory whose tarball is missing (a snapshot killed while packing) is not listed, so no listing offers
// a snapshot without its download; the next snapshot packs it (see snapshot-site).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SnapshotEntry } from './archive-index.ts';

export const SNAPSHOT_ID = /^\d{8}T\d{6}Z$/;

export function listFiles(root: string): string[] {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

export function dirBytes(dir: string): number {
  return listFiles(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

/** Snapshot ids with a directory, oldest first, whether packed or not. */
export function snapshotIds(archiveDir: string): string[] {
  if (!existsSync(archiveDir)) return [];
  return readdirSync(archiveDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && SNAPSHOT_ID.test(e.name))
    .map((e) => e.name)
    .sort();
}

/** The complete snapshots, newest first. */
export function snapshotEntries(archiveDir: string): SnapshotEntry[] {
  return snapshotIds(archiveDir)
    .reverse()
    .flatMap((id) => {
      const tar = statSync(join(archiveDir, `${id}.tar.gz`), { throwIfNoEntry: false });
      if (!tar?.isFile()) return [];
      const at = `${id.slice(0, 4)}-${id.slice(4, 6)}-${id.slice(6, 8)}T${id.slice(9, 11)}:${id.slice(11, 13)}:${id.slice(13, 15)}Z`;
      return [{ id, takenAt: Date.parse(at), siteBytes: dirBytes(join(archiveDir, id)), tarBytes: tar.size }];
    });
}
