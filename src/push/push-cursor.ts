// An agent's cursor per hub, in its own index (push_cursors, migration 007): what has been accepted, so a
// restart, a hub down for a day or a cut link resumes where it stopped and loses nothing. Each write is one
// short transaction of its own, so the ingest thread's commits are never held up for long.
import type { Db } from '../db/open.ts';
import type { PushSessionCost } from '../db/queries/push-session-costs.ts';

/** Where a push cycle starts: the cursor, or below it when a deleted row may have let a rowid be reused.
 *  The rewind mark is taken (cleared) in the same transaction; a delete after it sets it again. */
export function startCycle(db: Db, url: string): number {
  return db
    .transaction(() => {
      db.prepare('INSERT OR IGNORE INTO push_cursors (url) VALUES (?)').run(url);
      const row = db
        .prepare('SELECT after_rowid AS afterRowid, rewind_rowid AS rewind FROM push_cursors WHERE url = ?')
        .get(url) as { afterRowid: number; rewind: number | null };
      db.prepare('UPDATE push_cursors SET rewind_rowid = NULL WHERE url = ?').run(url);
      return row.rewind === null ? row.afterRowid : Math.min(row.afterRowid, Math.max(0, row.rewind));
    })
    .immediate();
}

export function advanceCursor(db: Db, url: string, toRowid: number, sent: number, now: number): void {
  db.prepare(
    `UPDATE push_cursors SET after_rowid = ?, pushed = pushed + ?, last_push_at = ?, last_error = NULL
     WHERE url = ?`,
  ).run(toRowid, sent, now, url);
}

export function recordPushError(db: Db, url: string, message: string): void {
  db.prepare('UPDATE push_cursors SET last_error = ? WHERE url = ?').run(message, url);
}

export function markSessionCostsSent(db: Db, url: string, costs: readonly PushSessionCost[]): void {
  const upsert = db.prepare(
    `INSERT INTO push_session_costs (url, session_id, total_cost_usd) VALUES (?, ?, ?)
     ON CONFLICT (url, session_id) DO UPDATE SET total_cost_usd = excluded.total_cost_usd`,
  );
  db.transaction(() => {
    for (const c of costs) upsert.run(url, c.sessionId, c.totalCostUsd);
  })();
}
