// A first run's index is built in a file of its own beside the final path, with no journal and no syncs, and
// put in place only when complete: switched to WAL, synced, then hard-linked to the index's name (which fails
// rather than replaces when another first run got there first). Nothing can see the file while it is built,
// so no commit in it has to survive a crash: a run killed half way leaves no index, only its partial file,
// which the next first run deletes before it starts over. Without a journal each page is written once,
// instead of to the WAL and again at the checkpoint.
import { basename, dirname, join } from 'node:path';
import { openDb, type Db } from './open.ts';
const { closeSync, fsyncSync, linkSync, openSync, readdirSync, renameSync, rmSync, existsSync } =
  process.getBuiltinModule('node:fs');

const PARTIAL = '.partial-';

/** The partial file of the process `pid` for the index at `path`. */
export const partialPath = (path: string, pid = process.pid): string => `${path}${PARTIAL}${pid}`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Deletes the partial files of first runs that are no longer running (a live one's is its own business). */
export function removeStalePartials(path: string): string[] {
  const prefix = basename(path) + PARTIAL;
  const removed: string[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) continue;
    rmSync(join(dirname(path), name), { force: true });
    removed.push(name);
  }
  return removed;
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Links the finished file to the index's name; false when an index is there already (it is kept). */
function putInPlace(partial: string, path: string): boolean {
  try {
    linkSync(partial, path);
    rmSync(partial, { force: true });
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // A file system without hard links: a rename, unless an index appeared meanwhile.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    if (existsSync(path)) return false;
    renameSync(partial, path);
    return true;
  }
}

/**
 * Runs `build` on a new index for `path` (which must not exist yet) and puts it in place. Returns build's
 * result, and whether this run's file became the index (false: another first run's index was there first;
 * it read the same transcripts, and this run's file is dropped).
 */
export function buildFreshIndex<T>(path: string, build: (db: Db) => T): { result: T; placed: boolean } {
  removeStalePartials(path); // this process's own too: a file of a killed run whose pid came round again
  const partial = partialPath(path);
  let db: Db | undefined;
  try {
    db = openDb(partial, { journal: 'off' });
    const result = build(db);
    db.pragma('journal_mode = WAL');
    db.close();
    db = undefined;
    fsyncPath(partial);
    const placed = putInPlace(partial, path);
    if (placed) fsyncPath(dirname(path));
    return { result, placed };
  } finally {
    db?.close();
    // Whatever is left of this run's file; an error here (no such directory, say) never hides the build's own.
    for (const file of [partial, `${partial}-wal`, `${partial}-shm`])
      try {
        rmSync(file, { force: true });
      } catch {
        // nothing to clean up
      }
  }
}
