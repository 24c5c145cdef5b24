// A WAL index that a reader may not write beside (a read-only mount, a directory it has no write access to)
// cannot get its shared-memory file. With no -wal file there, everything committed is in the file itself and
// nothing can be writing it, so it is read as immutable: no locks, no shared memory. With a -wal file (a
// writer of its own somewhere), immutable would hide its commits, so the error stands. Shared by openDb
// (better-sqlite3) and openLightDb (node:sqlite), which must not load better-sqlite3 to know the rule.
const { existsSync } = process.getBuiltinModule('node:fs');
// `immutable=1` is a URI parameter, and URI file names are a process-wide SQLite switch better-sqlite3 reads from
// SQLITE_USE_URI when it loads its addon, at the first open: both openers import this module first, so it is set
// before any. It only changes names that begin with "file:"; the index's path is absolute.
process.env.SQLITE_USE_URI ??= '1';

/** Whether `error`, from a read-only open of `path` or its first read, means "read it as immutable". */
export function readOnlyMedia(path: string, error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  const cannotShare = /^SQLITE_(CANTOPEN|READONLY_DIRECTORY|READONLY_CANTINIT)$/.test(code);
  return cannotShare && existsSync(path) && !existsSync(`${path}-wal`);
}

/** The URI name that opens `path` as immutable (URI names are on: SQLITE_USE_URI, above). */
export function immutableName(path: string): string {
  return `${process.getBuiltinModule('node:url').pathToFileURL(path).href}?immutable=1`;
}
