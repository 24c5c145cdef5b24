// What checking the index costs (docs/index-check.md): seeds an index of about 60,000 messages (a year, 2,000
// sessions) and times each part of `ctm check` and of the check at the start of an ingest, each several times
// on the same connection (the file in the OS page cache, as at a restart). `node bench/check.ts [messages/30]`.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../src/db/open.ts';
import { silentLogger } from '../src/log.ts';
import { checkAtStart, checkIndex, sqliteProblems } from '../src/db/check-index.ts';
import { rollupDrift } from '../src/db/queries/rollup-drift.ts';
import { rollupTotals } from '../src/db/queries/rollup-totals.ts';
import { rebuildDailyRollup } from '../ingest/daily-rollup.ts';
import { seedUsageDb } from '../test/fixtures/seed-usage-db.ts';

const sessions = Number(process.argv[2] ?? 2000);
const RUNS = 5;
const dir = mkdtempSync(join(tmpdir(), 'ctm-bench-check-'));
try {
  const path = join(dir, 'ctm.db');
  const { messages } = seedUsageDb(path, {
    endDay: '2026-11-30',
    days: 365,
    projects: 12,
    sessions,
    requestsPerSession: 30,
    seed: 3,
  });
  const db = openDb(path);
  const time = (fn: () => unknown): number[] =>
    Array.from({ length: RUNS }, () => {
      const started = performance.now();
      fn();
      return Math.round(performance.now() - started);
    });
  const figures = {
    messages,
    groups: db.prepare('SELECT count(*) FROM usage_daily').pluck().get(),
    megabytes: Math.round(statSync(path).size / 1e5) / 10,
    ms: {
      integrityCheck: time(() => sqliteProblems(db, 'integrity_check')),
      quickCheck: time(() => sqliteProblems(db, 'quick_check')),
      rollupTotals: time(() => rollupTotals(db)),
      rollupDrift: time(() => rollupDrift(db)),
      rebuild: time(() => db.transaction(() => rebuildDailyRollup(db)).immediate()),
      checkIndex: time(() => checkIndex(db)),
      checkAtStart: time(() => checkAtStart(db, path, silentLogger)),
    },
  };
  db.close();
  process.stdout.write(JSON.stringify(figures, null, 2) + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
