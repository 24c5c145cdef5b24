// Opens limits.db, the small store of Claude Code's official limits beside the index (its own numbered
// migrations in ./migrations). Status-line calls write it, several at once: WAL, so readers never block them,
// and a busy timeout bounded by the caller's deadline, so a call never waits longer than it may.
import { fileURLToPath } from 'node:url';
import type { Db } from '../open.ts';
import { openLightDb } from '../builtin-sqlite.ts';

const { existsSync, mkdirSync, readdirSync } = process.getBuiltinModule('node:fs');
const { join } = process.getBuiltinModule('node:path');

const migrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));
const pause = new Int32Array(new SharedArrayBuffer(4));

export const limitsDbPath = (dataDir: string): string => join(dataDir, 'limits.db');

const isBusy = (error: unknown): boolean => /^SQLITE_BUSY/.test((error as { code?: string }).code ?? '');

/** Runs `step` again while SQLite answers busy at once (switching a new file to WAL does), until `deadline`. */
export function untilNotBusy<T>(step: () => T, deadline: number): T {
  for (;;) {
    try {
      return step();
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, 2);
    }
  }
}

/** The writer's connection, creating and migrating the file when needed. Throws when it cannot by `deadline`. */
export async function openLimitsWriter(dataDir: string, deadline: number): Promise<Db> {
  mkdirSync(dataDir, { recursive: true });
  const busyMs = Math.max(1, Math.min(250, deadline - Date.now()));
  const db = openLightDb(limitsDbPath(dataDir), { readonly: false, timeoutMs: busyMs });
  try {
    untilNotBusy(() => db.pragma('journal_mode = WAL'), deadline);
    db.pragma('synchronous = NORMAL');
    // The migration code only when the file is behind: most calls find it current.
    const latest = readdirSync(migrationsDir)
      .filter((name) => /^\d{3}-[\w-]+\.sql$/.test(name))
      .reduce((n, name) => Math.max(n, Number(name.slice(0, 3))), 0);
    if ((db.pragma('user_version', { simple: true }) as number) < latest) {
      const { loadMigrations, migrate } = await import('../migrate.ts');
      untilNotBusy(() => migrate(db, loadMigrations(migrationsDir)), deadline);
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** A read-only connection, or null while no status-line call has written the file yet. */
export function openLimitsReader(dataDir: string, busyMs = 100): Db | null {
  const path = limitsDbPath(dataDir);
  if (!existsSync(path)) return null;
  const db = openLightDb(path, { readonly: true, timeoutMs: busyMs });
  try {
    // A file created but not migrated yet (a writer in its first milliseconds) has no tables to read.
    if ((db.pragma('user_version', { simple: true }) as number) < 1) {
      db.close();
      return null;
    }
    db.pragma('query_only = ON');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
