// Writes one file's new events and its new read position in a single transaction, so a kill -9 at any
// moment loses nothing and counts nothing twice. Dedup is global: one row per key (a response's message id;
// its advisor parts have keys of their own). A main-thread copy beats a sidechain replay of the parent's
// response; among the rest the copy with the largest token total wins (streaming-start copies lose), on a
// tie the one carrying usage.speed, and a re-read of the stored copy's own line replaces it. Claude Code's
// cost-state lines and limit hits travel in the same commit. usage_daily follows in the same transaction:
// every counted row that arrives or leaves is passed to the rollup.
import type { Db } from '../src/db/open.ts';
import type { PriceTable } from '../src/pricing/pricing-schema.ts';
import { requestCost } from '../src/pricing/request-cost.ts';
import { makeLocalTime } from '../src/time/local-time.ts';
import { totalTokens, type CostState, type LimitHit, type UsageEvent } from './parse-line.ts';
import type { ChangeSet } from '../src/db/change-set.ts';
import { createDailyRollup, rebuildDailyRollup, rebuildProjectCwds, type RollupRow } from './daily-rollup.ts';
import { beats } from './fold-copies.ts';

export interface FileRow {
  id: number;
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  offset: number;
  headHash: string | null;
  /** The bytes just before offset, as hex (migration 015); null for a row from before it. */
  seam: string | null;
  lineCount: number;
  missingSince: number | null;
}

export interface FileState {
  path: string;
  claudeDir: string;
  project: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  offset: number;
  headHash: string;
  seam: string | null;
  lineCount: number;
}

export interface LocatedEvent {
  event: UsageEvent;
  lineNo: number;
  sessionId: string;
  agentId: string | null;
}

/** A fact of a file that is not usage: Claude Code's cost-state for a session, or a limit hit. */
export type FileNote =
  | { kind: 'costState'; lineNo: number; sessionId: string; costState: CostState }
  | { kind: 'limitHit'; lineNo: number; sessionId: string; limitHit: LimitHit };

export interface CommitResult {
  inserted: number;
  replaced: number;
  duplicates: number;
}

interface Existing extends RollupRow {
  hour: number;
  sessionId: string;
  speed: string | null;
  isSidechain: number;
  fileId: number;
  lineNo: number;
}

type Rollup = ReturnType<ReturnType<typeof createDailyRollup>>;

/** The columns a row contributes to usage_daily, selected under RollupRow's names (a stored row a hub received
 *  from another machine leaves that machine's group when a copy read here replaces it). */
const ROLLUP_COLUMNS = `day, model, project, input_tokens AS input, output_tokens AS output,
  cache_write_5m_tokens AS cacheWrite5m, cache_write_1h_tokens AS cacheWrite1h, cache_read_tokens AS cacheRead,
  total_tokens AS totalTokens, web_search_requests AS webSearchRequests, cost_logged_usd AS costLogged,
  cost_calc_usd AS costCalc, machine, user_name AS userName, ts, cwd`;

const DEFERRED_INDEXES = 'deferred_indexes';
const DEFERRED_ROLLUP = 'deferred_rollup';

export function createMessageStore(db: Db, options: { timezone: string; pricing: PriceTable }) {
  // The writer's page cache: 8 MB keeps the hot index pages; more buys a bulk ingest no measurable speed
  // and costs resident memory (a cold ingest of 1 GB must stay within 250 MB).
  db.pragma('cache_size = -8000');
  // SQLite keeps the pages a savepoint or a multi-row statement changes in a sub-journal: in a temp file by
  // default, which once made a cold ingest spend a third of its writer time in pwrite(). In memory it holds
  // one statement's pages at most.
  db.pragma('temp_store = MEMORY');
  const localTime = makeLocalTime(options.timezone);

  const selectFiles = db.prepare(
    `SELECT id, path, dev, ino, size, mtime_ms AS mtimeMs, offset, head_hash AS headHash, seam,
            line_count AS lineCount, missing_since AS missingSince FROM files`,
  );
  const upsertFile = db.prepare(
    `INSERT INTO files (path, claude_dir, project, dev, ino, size, mtime_ms, offset, head_hash, seam, line_count, missing_since, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)
     ON CONFLICT (path) DO UPDATE SET claude_dir = excluded.claude_dir, project = excluded.project, dev = excluded.dev,
       ino = excluded.ino, size = excluded.size, mtime_ms = excluded.mtime_ms, offset = excluded.offset,
       head_hash = excluded.head_hash, seam = excluded.seam, line_count = excluded.line_count, missing_since = NULL,
       updated_at = excluded.updated_at
     RETURNING id`,
  );
  const markMissing = db.prepare(
    'UPDATE files SET missing_since = ? WHERE path = ? AND missing_since IS NULL',
  );
  const selectExisting = db.prepare(
    `SELECT ${ROLLUP_COLUMNS}, hour, session_id AS sessionId, speed, is_sidechain AS isSidechain,
       file_id AS fileId, line_no AS lineNo FROM messages WHERE key = ?`,
  );
  const replaceMessage = db.prepare(
    `INSERT OR REPLACE INTO messages (key, message_id, request_id, file_id, line_no, ts, day, hour, model, session_id,
       project, cwd, git_branch, version, is_sidechain, agent_id, service_tier, speed, inference_geo, input_tokens,
       output_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, total_tokens, thinking_tokens,
       web_search_requests, web_fetch_requests, cost_logged_usd, cost_calc_usd, advisor_of, superseded)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
  );
  // Rare (a stored response replaced by a bigger copy or re-read), so RETURNING's per-row cost is no matter.
  const deleteAdvisors = db.prepare(
    `DELETE FROM messages WHERE advisor_of = ? RETURNING ${ROLLUP_COLUMNS}, hour, session_id AS sessionId`,
  );
  // Claude Code's cost-state is cumulative: a later line (in file order, or from a file read later) wins.
  const upsertCostState = db.prepare(
    `INSERT INTO session_costs (session_id, file_id, line_no, total_cost_usd, model_usage_json) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (session_id) DO UPDATE SET file_id = excluded.file_id, line_no = excluded.line_no,
       total_cost_usd = excluded.total_cost_usd, model_usage_json = excluded.model_usage_json
     WHERE excluded.file_id <> session_costs.file_id OR excluded.line_no >= session_costs.line_no`,
  );
  const upsertLimitHit = db.prepare(
    `INSERT OR REPLACE INTO limit_hits (key, ts, session_id, project, status, rate_limit_type, resets_at, file_id, line_no)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Same columns and values: for keys not stored yet, which is nearly all of them on a first pass.
  const insertNew = db.prepare(replaceMessage.source.replace('INSERT OR REPLACE', 'INSERT OR IGNORE'));
  const beginDaily = createDailyRollup(db);
  // On a cold load usage_daily is summed once, at the end: rollupDeferred is set for the load's length.
  let rollupDeferred = false;
  const beginRollup = () => beginDaily(rollupDeferred);

  // The indexes a cold load drops and rebuilds (not the key, and not advisor_of, which the load itself reads).
  const deferIndexes = db.transaction(() => {
    const indexes = db
      .prepare(
        `SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL
           AND name <> 'messages_advisor_of'`,
      )
      .all() as { name: string; sql: string }[];
    if (indexes.length === 0) return;
    db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('${DEFERRED_INDEXES}', ?)`).run(
      JSON.stringify(indexes),
    );
    for (const { name } of indexes) db.exec(`DROP INDEX "${name.replace(/"/g, '""')}"`);
  });
  const restoreIndexes = db.transaction(() => {
    const saved = db.prepare(`SELECT value FROM meta WHERE key = '${DEFERRED_INDEXES}'`).pluck().get() as
      string | undefined;
    if (saved === undefined) return;
    for (const { sql } of JSON.parse(saved) as { sql: string }[])
      db.exec(sql.replace(/^CREATE INDEX /i, 'CREATE INDEX IF NOT EXISTS '));
    db.prepare(`DELETE FROM meta WHERE key = '${DEFERRED_INDEXES}'`).run();
  });
  // The marker is committed before the load's first batch and taken out with the rollup's rebuild, so a load
  // killed half way has its rollup summed when the store is next created.
  const deferRollup = db.transaction(() => {
    db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('${DEFERRED_ROLLUP}', '1')`).run();
  });
  // A load's own end sums the rollup; its project and directory pairs are in already (see createDailyRollup).
  // Found at the next open, the marker may stand for messages written any way: both are summed afresh.
  const restoreRollup = db.transaction((reopened: boolean) => {
    if (db.prepare(`DELETE FROM meta WHERE key = '${DEFERRED_ROLLUP}'`).run().changes === 0) return;
    rebuildDailyRollup(db);
    if (reopened) rebuildProjectCwds(db);
  });
  restoreIndexes();
  restoreRollup(true);
  let batchRollup: Rollup | null = null;

  const cost = (e: UsageEvent): number | null => requestCost(options.pricing, e);

  /** Writes one copy; returns what it now counts in usage_daily, or false if the key was already stored and
   *  the statement ignores it. */
  function write(
    file: FileState,
    fileId: number,
    copy: LocatedEvent,
    changes: ChangeSet,
    rollup: Rollup,
    statement = replaceMessage,
  ): RollupRow | false {
    const { event: e, lineNo, sessionId, agentId } = copy;
    const { day, hour } = localTime(e.ts);
    const costCalc = cost(e);
    const total = totalTokens(e);
    // Positional parameters in column order (cheaper than binding a named object per row).
    const info = statement.run(
      e.key,
      e.messageId,
      e.requestId,
      fileId,
      lineNo,
      e.ts,
      day,
      hour,
      e.model,
      sessionId,
      file.project,
      e.cwd,
      e.gitBranch,
      e.version,
      e.isSidechain ? 1 : 0,
      agentId,
      e.serviceTier,
      e.speed,
      e.geo,
      e.input,
      e.output,
      e.cacheWrite5m,
      e.cacheWrite1h,
      e.cacheRead,
      total,
      e.thinking,
      e.webSearchRequests,
      e.webFetchRequests,
      e.costLoggedUsd,
      costCalc,
      e.advisorOf,
    );
    if (info.changes === 0) return false;
    changes.add(day, hour, sessionId, file.project, e.model);
    const row: RollupRow = {
      day,
      model: e.model,
      project: file.project,
      input: e.input,
      output: e.output,
      cacheWrite5m: e.cacheWrite5m,
      cacheWrite1h: e.cacheWrite1h,
      cacheRead: e.cacheRead,
      totalTokens: total,
      webSearchRequests: e.webSearchRequests,
      costLogged: e.costLoggedUsd,
      costCalc,
      sessionId,
      ts: e.ts,
      cwd: e.cwd,
    };
    rollup.add(row, 1);
    return row;
  }

  /** The copies that win in turn over the stored one (none: undefined), in file order. */
  function fold(copies: readonly LocatedEvent[], fileId: number, stored?: Existing): LocatedEvent[] {
    const winners: LocatedEvent[] = [];
    const best = stored
      ? { total: stored.totalTokens, speed: stored.speed, isSidechain: stored.isSidechain === 1 }
      : undefined;
    let current = best;
    for (const copy of copies) {
      const t = totalTokens(copy.event);
      // A re-read of the very line the stored copy came from replaces it (its new columns fill in).
      const reread =
        stored !== undefined && current === best && stored.fileId === fileId && stored.lineNo === copy.lineNo;
      if (current === undefined || reread || beats(copy.event, t, current)) {
        current = { total: t, speed: copy.event.speed, isSidechain: copy.event.isSidechain };
        winners.push(copy);
      }
    }
    return winners;
  }

  function writeNotes(file: FileState, fileId: number, notes: readonly FileNote[]): void {
    for (const note of notes) {
      if (note.kind === 'costState') {
        const c = note.costState;
        upsertCostState.run(
          note.sessionId,
          fileId,
          note.lineNo,
          c.totalCostUsd,
          JSON.stringify(c.modelUsage),
        );
      } else {
        const h = note.limitHit;
        upsertLimitHit.run(
          h.key,
          h.ts,
          note.sessionId,
          file.project,
          h.status,
          h.rateLimitType,
          h.resetsAt,
          fileId,
          note.lineNo,
        );
      }
    }
  }

  const commitRows = (
    file: FileState,
    events: readonly LocatedEvent[],
    changes: ChangeSet,
    now: number,
    notes: readonly FileNote[],
    folded: number,
  ): CommitResult => {
    // Positional, as the messages' insert: a named object (and its spread) cost about as much again.
    // prettier-ignore
    const fileId = (upsertFile.get(file.path, file.claudeDir, file.project, file.dev, file.ino, file.size,
      file.mtimeMs, file.offset, file.headHash, file.seam, file.lineCount, now) as { id: number }).id;
    const result: CommitResult = { inserted: 0, replaced: 0, duplicates: folded };
    const rollup = beginRollup();
    writeNotes(file, fileId, notes);
    // The copies of one response (one line per content block, each repeating the final usage) are folded
    // here first, in file order and with the same rule as against the stored row, so SQLite sees each key
    // once per commit.
    const byKey = new Map<string, LocatedEvent[]>();
    for (const located of events) {
      const copies = byKey.get(located.event.key);
      if (copies) copies.push(located);
      else byKey.set(located.event.key, [located]);
    }
    // An advisor row belongs to the copy of its response that counts: the line each response key is now
    // counted from (null: the stored copy stayed, and with it its advisor rows).
    const countedLine = new Map<string, number | null>();
    for (const [key, all] of byKey) {
      const advisorOf = all[0]!.event.advisorOf;
      const copies = advisorOf === null ? all : all.filter((c) => c.lineNo === countedLine.get(advisorOf));
      result.duplicates += all.length - copies.length;
      if (copies.length === 0) continue;
      // Fast path: fold as if the key were new and insert the winner unless the key is already stored.
      const fresh = fold(copies, fileId);
      const freshLast = fresh.at(-1)!;
      if (write(file, fileId, freshLast, changes, rollup, insertNew) !== false) {
        result.inserted++;
        result.replaced += fresh.length - 1;
        result.duplicates += copies.length - fresh.length;
        for (const w of fresh) if (w !== freshLast) addChange(w, file, changes);
        if (advisorOf === null) countedLine.set(key, freshLast.lineNo);
        continue;
      }
      const existing = selectExisting.get(key) as Existing;
      const winners = fold(copies, fileId, existing);
      result.replaced += winners.length;
      result.duplicates += copies.length - winners.length;
      if (advisorOf === null) countedLine.set(key, winners.at(-1)?.lineNo ?? null);
      if (winners.length === 0) continue;
      changes.add(existing.day, existing.hour, existing.sessionId, existing.project);
      // The stored copy's advisor rows leave with it; the winner's own follow (their keys come later).
      if (advisorOf === null)
        for (const row of deleteAdvisors.all(key) as Existing[]) {
          changes.add(row.day, row.hour, row.sessionId, row.project);
          rollup.add(row, -1);
        }
      // Writing only the last winner is the same as writing each in turn: what the stored row counted
      // leaves the rollup, the winner's arrives.
      const last = winners.at(-1)!;
      write(file, fileId, last, changes, rollup);
      rollup.add(existing, -1);
      for (const w of winners) if (w !== last) addChange(w, file, changes);
    }
    // Inside a batch the commit's net change joins the batch's, written once when the batch commits.
    if (batchRollup) batchRollup.merge(rollup);
    else rollup.apply();
    return result;
  };
  const commitTransaction = db.transaction(commitRows);

  function addChange(copy: LocatedEvent, file: FileState, changes: ChangeSet): void {
    const { day, hour } = localTime(copy.event.ts);
    changes.add(day, hour, copy.sessionId, file.project, copy.event.model);
  }

  return {
    files(): Map<string, FileRow> {
      return new Map((selectFiles.all() as FileRow[]).map((row) => [row.path, row]));
    },
    commit(
      file: FileState,
      events: readonly LocatedEvent[],
      changes: ChangeSet,
      now = Date.now(),
      notes: readonly FileNote[] = [],
      /** Copies a reader thread already folded away (fold-copies.ts): counted as duplicates. */
      folded = 0,
    ): CommitResult {
      // Inside a batch no savepoint of its own: a failing commit fails the pass, and the batch's transaction
      // rolls back with it, so a file's rows and offset still commit together or not at all.
      return (batchRollup ? commitRows : commitTransaction)(file, events, changes, now, notes, folded);
    },
    /** Runs a big pass with no automatic WAL checkpoints (each copies and syncs pages that later commits
     *  rewrite anyway), then checkpoints once. On a cold load (no messages yet) the secondary indexes of
     *  messages are dropped first and built once at the end: sorting once is cheaper than keeping five
     *  B-trees in step row by row; and usage_daily is summed once from the messages at the end, not kept in
     *  step commit by commit. Markers in meta say so meanwhile, so a load killed half way has both rebuilt
     *  when the store is next created. fn is told whether the load is cold: until bulk returns, a cold
     *  load's usage_daily lags its messages (the caller holds back what it tells of its commits). */
    bulk<T>(fn: (cold: boolean) => T): T {
      const previous = db.pragma('wal_autocheckpoint', { simple: true }) as number;
      db.pragma('wal_autocheckpoint = 0');
      const cold = db.prepare('SELECT 1 FROM messages LIMIT 1').get() === undefined;
      if (cold) {
        deferIndexes();
        deferRollup();
        rollupDeferred = true;
      }
      try {
        return fn(cold);
      } finally {
        if (cold) {
          rollupDeferred = false;
          restoreIndexes();
          restoreRollup(false);
        }
        db.pragma(`wal_autocheckpoint = ${previous}`);
        db.pragma('wal_checkpoint(PASSIVE)');
      }
    },
    /** Runs fn in one transaction; the commits made inside it write into it, without savepoints. */
    batch<T>(fn: () => T): T {
      return db.transaction(() => {
        batchRollup = beginRollup();
        try {
          const out = fn();
          batchRollup.apply();
          return out;
        } finally {
          batchRollup = null;
        }
      })();
    },
    markMissing(paths: readonly string[], now = Date.now()): void {
      db.transaction(() => {
        for (const p of paths) markMissing.run(now, p);
      })();
    },
  };
}

export type MessageStore = ReturnType<typeof createMessageStore>;
