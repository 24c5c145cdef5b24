// Checks the index: SQLite's own check of every page, index and constraint, then the usage_daily rollup summed
// afresh from the messages and rebuilt where they differ (it is derived data, the messages are the record).
// `ctm check` runs all of it; the start of an ingest runs checkAtStart, a cheap form. A problem of the file
// beyond the rollup (a broken page, an index out of step, a message failing its CHECK) is damage: it is
// reported and nothing is written, since a repair on a damaged file can only spread it.
import type { Db } from './open.ts';
import type { Logger } from '../log.ts';
import { ConfigError } from '../config.ts';
import { rollupDrift, type RollupDriftRow } from './queries/rollup-drift.ts';
import { rollupTotals, type RollupTotals } from './queries/rollup-totals.ts';
import { rebuildDailyRollup, rebuildProjectCwds } from '../../ingest/daily-rollup.ts';
const { statSync } = process.getBuiltinModule('node:fs');

/** A group of the rollup as people read it: its key values, the empty ones (this machine, say) left out. */
export function groupName(group: Record<string, string>): string {
  return Object.values(group)
    .filter((v) => v !== '')
    .join(' ');
}

export interface IndexCheck {
  /** What SQLite's check found, other than "ok". */
  problems: string[];
  /** Whether a problem is the file's own rather than the rollup's: then nothing is repaired. */
  damaged: boolean;
  /** The rollup's groups that differed from the messages, before the repair. */
  drift: RollupDriftRow[];
  repaired: boolean;
}

/** Indexes up to this size get quick_check at every start: about 55 ms on 35 MB (60,000 messages). */
export const QUICK_CHECK_MAX_BYTES = 128 << 20;

// A sum of the rollup that a flipped bit made negative fails its CHECK (migration 006): the rebuild repairs it.
const ROLLUP_ONLY = /^(CHECK constraint failed in usage_daily|NULL value in usage_daily\.\w+)$/;

const corruption = (error: unknown): boolean =>
  /^SQLITE_(CORRUPT|NOTADB|IOERR)/.test((error as { code?: string }).code ?? '');

const findings = (db: Db, pragma: string): string[] =>
  (db.pragma(pragma, { simple: false }) as Record<string, string>[])
    .map((row) => Object.values(row)[0]!)
    .filter((line) => line !== 'ok');

/** SQLite's findings. A broken data page stops the whole check with SQLITE_CORRUPT (its constraint scan reads
 * every row), so the tables are then checked one by one to name the damaged ones; a file too broken even for
 * that is one finding. */
export function sqliteProblems(db: Db, pragma: 'integrity_check' | 'quick_check'): string[] {
  try {
    return findings(db, pragma);
  } catch (error) {
    if (!corruption(error)) throw error;
    try {
      const tables = db
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .pluck()
        .all() as string[];
      const named = tables.flatMap((table) => {
        try {
          return findings(db, `${pragma}("${table.replace(/"/g, '""')}")`).map((line) => `${table}: ${line}`);
        } catch (inner) {
          if (!corruption(inner)) throw inner;
          return [`${table}: ${(inner as Error).message}`];
        }
      });
      return named.length > 0 ? named : [(error as Error).message];
    } catch (inner) {
      if (!corruption(inner)) throw inner;
      return [(error as Error).message];
    }
  }
}

function repair(db: Db): void {
  db.transaction(() => {
    rebuildDailyRollup(db);
    rebuildProjectCwds(db);
  }).immediate();
}

function checkRollup(db: Db, problems: string[]): IndexCheck {
  let drift: RollupDriftRow[];
  try {
    drift = rollupDrift(db);
  } catch (error) {
    if (!corruption(error)) throw error;
    return { problems: [...problems, (error as Error).message], damaged: true, drift: [], repaired: false };
  }
  if (drift.length === 0 && problems.length === 0)
    return { problems, damaged: false, drift, repaired: false };
  repair(db);
  return { problems, damaged: false, drift, repaired: true };
}

/** The whole check (`ctm check`): integrity_check, then the rollup against the messages, repaired. */
export function checkIndex(db: Db): IndexCheck {
  const problems = sqliteProblems(db, 'integrity_check');
  if (problems.some((p) => !ROLLUP_ONLY.test(p)))
    return { problems, damaged: true, drift: [], repaired: false };
  return checkRollup(db, problems);
}

function totalsAgree(a: RollupTotals, b: RollupTotals): boolean {
  return (Object.keys(a) as (keyof RollupTotals)[]).every((k) =>
    k.startsWith('cost') ? Math.abs(a[k] - b[k]) <= 1e-6 : a[k] === b[k],
  );
}

/**
 * The check at the start of an ingest (`ctm ingest`, `ctm start`): quick_check on an index of up to
 * QUICK_CHECK_MAX_BYTES, and the rollup's all-time totals against the messages' (an index-only scan, about 20 ms
 * per 60,000 messages); only when they differ is the rollup compared group by group and rebuilt, with a warning
 * saying what differed. Damage stops the ingest with one line naming the data dir and `ctm check`.
 */
export function checkAtStart(db: Db, path: string, log: Logger): IndexCheck {
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    size = 0; // an in-memory index: nothing to measure, and small
  }
  const problems = size <= QUICK_CHECK_MAX_BYTES ? sqliteProblems(db, 'quick_check') : [];
  const damaged = problems.filter((p) => !ROLLUP_ONLY.test(p));
  let result: IndexCheck = { problems, damaged: false, drift: [], repaired: false };
  if (damaged.length === 0) {
    try {
      const { stored, fresh } = rollupTotals(db);
      if (problems.length > 0 || !totalsAgree(stored, fresh)) result = checkRollup(db, problems);
    } catch (error) {
      if (!corruption(error)) throw error;
      result = {
        problems: [...problems, (error as Error).message],
        damaged: true,
        drift: [],
        repaired: false,
      };
    }
  } else result = { problems, damaged: true, drift: [], repaired: false };
  if (result.damaged) {
    throw new ConfigError(
      'CTM_DATA_DIR',
      `the index ${path} is damaged (${result.problems[0]}); run \`ctm check\` for the details`,
    );
  }
  if (result.repaired) {
    log.warn('usage_daily differed from the messages; rebuilt from them', {
      groups: result.drift.length,
      first: result.drift.slice(0, 3).map((d) => groupName(d.group)),
    });
  }
  return result;
}
