// Writes one file's new events and its new read position in a single transaction, so a kill -9 at any
// moment loses nothing and counts nothing twice. Dedup is global: one row per message.id + requestId,
// keeping the copy with the largest token total (streaming-start copies lose); on a tie the stored copy
// stays unless the newcomer carries usage.speed. A sidechain copy of a parent's message is superseded.
// usage_daily follows in the same transaction: every counted row that arrives or leaves is passed to the rollup.
import type { Db } from '../src/db/open.ts';
import type { PriceTable } from '../src/pricing/pricing-schema.ts';
import { matchModel } from '../src/pricing/match-model.ts';
import { costUsd } from '../src/pricing/cost.ts';
import { makeLocalTime } from '../src/time/local-time.ts';
import { totalTokens, type UsageEvent } from './parse-line.ts';
import type { ChangeSet } from './change-set.ts';
import { createDailyRollup, type RollupRow } from './daily-rollup.ts';

export interface FileRow {
  id: number;
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  offset: number;
  headHash: string | null;
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
  lineCount: number;
}

export interface LocatedEvent {
  event: UsageEvent;
  lineNo: number;
  sessionId: string;
  agentId: string | null;
}

export interface CommitResult {
  inserted: number;
  replaced: number;
  duplicates: number;
}

interface Existing extends RollupRow {
  hour: number;
  sessionId: string;
  speed: string | null;
  superseded: number;
}

type Rollup = ReturnType<ReturnType<typeof createDailyRollup>>;

/** The columns a row contributes to usage_daily, selected under RollupRow's names. */
const ROLLUP_COLUMNS = `day, model, project, input_tokens AS input, output_tokens AS output,
  cache_write_5m_tokens AS cacheWrite5m, cache_write_1h_tokens AS cacheWrite1h, cache_read_tokens AS cacheRead,
  total_tokens AS totalTokens, cost_logged_usd AS costLogged, cost_calc_usd AS costCalc`;

const SIDECHAIN_IDS_MAX = 100_000;

export function createMessageStore(db: Db, options: { timezone: string; pricing: PriceTable }) {
  // The writer's page cache: 8 MB keeps the hot index pages; more buys a bulk ingest no measurable speed
  // and costs resident memory (a cold ingest of 1 GB must stay within 250 MB).
  db.pragma('cache_size = -8000');
  // Each commit inside a batch is a savepoint, and SQLite keeps the pages a savepoint changes in a
  // sub-journal: in a temp file by default, which made a cold ingest spend a third of its writer time in
  // pwrite(). In memory it holds one commit's pages at most.
  db.pragma('temp_store = MEMORY');
  const localTime = makeLocalTime(options.timezone);
  const priceCache = new Map<string, ReturnType<typeof matchModel>>();
  const priceOf = (model: string) => {
    if (!priceCache.has(model)) priceCache.set(model, matchModel(options.pricing, model));
    return priceCache.get(model);
  };

  const selectFiles = db.prepare(
    `SELECT id, path, dev, ino, size, mtime_ms AS mtimeMs, offset, head_hash AS headHash,
            line_count AS lineCount, missing_since AS missingSince FROM files`,
  );
  const upsertFile = db.prepare(
    `INSERT INTO files (path, claude_dir, project, dev, ino, size, mtime_ms, offset, head_hash, line_count, missing_since, updated_at)
     VALUES (@path, @claudeDir, @project, @dev, @ino, @size, @mtimeMs, @offset, @headHash, @lineCount, NULL, @now)
     ON CONFLICT (path) DO UPDATE SET claude_dir = excluded.claude_dir, project = excluded.project, dev = excluded.dev,
       ino = excluded.ino, size = excluded.size, mtime_ms = excluded.mtime_ms, offset = excluded.offset,
       head_hash = excluded.head_hash, line_count = excluded.line_count, missing_since = NULL, updated_at = excluded.updated_at
     RETURNING id`,
  );
  const markMissing = db.prepare(
    'UPDATE files SET missing_since = ? WHERE path = ? AND missing_since IS NULL',
  );
  const selectExisting = db.prepare(
    `SELECT ${ROLLUP_COLUMNS}, hour, session_id AS sessionId, speed, superseded FROM messages WHERE key = ?`,
  );
  const replaceMessage = db.prepare(
    `INSERT OR REPLACE INTO messages (key, message_id, request_id, file_id, line_no, ts, day, hour, model, session_id,
       project, cwd, git_branch, version, is_sidechain, agent_id, service_tier, speed, input_tokens, output_tokens,
       cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, total_tokens, web_search_requests,
       cost_logged_usd, cost_calc_usd, superseded)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Whether a sidechain copy arrives superseded: its parent (same message id, main thread) is stored. Asked
  // before the write rather than with RETURNING, which SQLite runs as a trigger per row (it made each insert
  // about 70 % slower).
  const parentStored = db
    .prepare('SELECT 1 FROM messages WHERE message_id = ? AND is_sidechain = 0 AND key <> ? LIMIT 1')
    .pluck();
  // Same columns and values: for keys not stored yet, which is nearly all of them on a first pass.
  const insertNew = db.prepare(replaceMessage.source.replace('INSERT OR REPLACE', 'INSERT OR IGNORE'));
  const supersedeReplays = db.prepare(
    `UPDATE messages SET superseded = 1 WHERE message_id = ? AND is_sidechain = 1 AND superseded = 0
     RETURNING ${ROLLUP_COLUMNS}, hour, session_id AS sessionId`,
  );
  const beginRollup = createDailyRollup(db);
  let batchRollup: Rollup | null = null;

  function cost(e: UsageEvent): number | null {
    const match = priceOf(e.model);
    return match ? costUsd(e, match.price, e.speed, options.pricing.longContextThreshold) : null;
  }

  // Message ids of the sidechain rows this store wrote. When the table was empty at the start (a first
  // ingest), replays of a parent can only be among them, so the supersede UPDATE is skipped for the rest.
  // Past SIDECHAIN_IDS_MAX ids the set is dropped and every parent runs the UPDATE again.
  const sidechainIds = new Set<string>();
  let sidechainIdsComplete = db.prepare('SELECT 1 FROM messages LIMIT 1').get() === undefined;

  /** Writes one copy; returns what it now counts in usage_daily (null: superseded), or false if the key was
   *  already stored and the statement ignores it. */
  function write(
    file: FileState,
    fileId: number,
    copy: LocatedEvent,
    changes: ChangeSet,
    rollup: Rollup,
    statement = replaceMessage,
  ): RollupRow | null | false {
    const { event: e, lineNo, sessionId, agentId } = copy;
    const { day, hour } = localTime(e.ts);
    const costCalc = cost(e);
    // Positional parameters in column order (cheaper than binding a named object per row).
    const superseded = e.isSidechain && parentStored.get(e.messageId, e.key) !== undefined;
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
      e.input,
      e.output,
      e.cacheWrite5m,
      e.cacheWrite1h,
      e.cacheRead,
      totalTokens(e),
      e.webSearchRequests,
      e.costLoggedUsd,
      costCalc,
      superseded ? 1 : 0,
    );
    if (info.changes === 0) return false;
    if (e.isSidechain && sidechainIdsComplete) {
      sidechainIds.add(e.messageId);
      if (sidechainIds.size > SIDECHAIN_IDS_MAX) {
        sidechainIdsComplete = false;
        sidechainIds.clear();
      }
    }
    changes.add(day, hour, sessionId, file.project, e.model);
    if (superseded) return null;
    const row: RollupRow = {
      day,
      model: e.model,
      project: file.project,
      input: e.input,
      output: e.output,
      cacheWrite5m: e.cacheWrite5m,
      cacheWrite1h: e.cacheWrite1h,
      cacheRead: e.cacheRead,
      totalTokens: totalTokens(e),
      costLogged: e.costLoggedUsd,
      costCalc,
    };
    rollup.add(row, 1);
    return row;
  }

  /** The copies that win in turn, starting from the stored row's total and speed (none: -1, null). */
  function fold(copies: readonly LocatedEvent[], total: number, speed: string | null): LocatedEvent[] {
    const winners: LocatedEvent[] = [];
    for (const copy of copies) {
      const t = totalTokens(copy.event);
      if (t > total || (t === total && copy.event.speed !== null && speed === null) || total < 0) {
        total = t;
        speed = copy.event.speed;
        winners.push(copy);
      }
    }
    return winners;
  }

  function supersede(messageId: string, changes: ChangeSet, rollup: Rollup): void {
    if (sidechainIdsComplete && !sidechainIds.has(messageId)) return;
    for (const row of supersedeReplays.all(messageId) as Existing[]) {
      changes.add(row.day, row.hour, row.sessionId, row.project);
      rollup.add(row, -1);
    }
  }

  const commit = db.transaction(
    (file: FileState, events: readonly LocatedEvent[], changes: ChangeSet, now: number): CommitResult => {
      const fileId = (upsertFile.get({ ...file, now }) as { id: number }).id;
      const result: CommitResult = { inserted: 0, replaced: 0, duplicates: 0 };
      const rollup = beginRollup();
      // The copies of one response (streaming lines, one per content block) are folded here first, in file
      // order and with the same rule as against the stored row, so SQLite sees each key once per commit.
      const byKey = new Map<string, LocatedEvent[]>();
      for (const located of events) {
        const copies = byKey.get(located.event.key);
        if (copies) copies.push(located);
        else byKey.set(located.event.key, [located]);
      }
      for (const [key, copies] of byKey) {
        // Fast path: fold as if the key were new and insert the winner unless the key is already stored.
        const fresh = fold(copies, -1, null);
        const freshLast = fresh.at(-1)!;
        if (fresh.every((w) => w.event.isSidechain === freshLast.event.isSidechain)) {
          if (write(file, fileId, freshLast, changes, rollup, insertNew) !== false) {
            result.inserted++;
            result.replaced += fresh.length - 1;
            result.duplicates += copies.length - fresh.length;
            if (!freshLast.event.isSidechain) supersede(freshLast.event.messageId, changes, rollup);
            for (const w of fresh) if (w !== freshLast) addChange(w, file, changes);
            continue;
          }
        }
        const existing = selectExisting.get(key) as Existing | undefined;
        const winners = existing ? fold(copies, existing.totalTokens, existing.speed) : fresh;
        if (existing) {
          result.replaced += winners.length;
        } else {
          result.inserted++;
          result.replaced += winners.length - 1;
        }
        result.duplicates += copies.length - winners.length;
        if (winners.length === 0) continue;
        if (existing) changes.add(existing.day, existing.hour, existing.sessionId, existing.project);
        const last = winners.at(-1)!;
        const sameKind = winners.every((w) => w.event.isSidechain === last.event.isSidechain);
        // Writing only the last winner is the same as writing each in turn, unless copies disagree on
        // isSidechain (then a parent copy's supersede must run before a later sidechain copy replaces it).
        // Each write replaces the row before it: what that row counted leaves the rollup.
        let counted: RollupRow | null = existing && !existing.superseded ? existing : null;
        for (const copy of sameKind ? [last] : winners) {
          const written = write(file, fileId, copy, changes, rollup);
          if (counted) rollup.add(counted, -1);
          counted = written || null;
          if (!copy.event.isSidechain) supersede(copy.event.messageId, changes, rollup);
        }
        if (sameKind) for (const w of winners) if (w !== last) addChange(w, file, changes);
      }
      // Inside a batch the commit's net change joins the batch's, written once when the batch commits.
      if (batchRollup) batchRollup.merge(rollup);
      else rollup.apply();
      return result;
    },
  );

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
    ): CommitResult {
      return commit(file, events, changes, now);
    },
    /** Runs a big pass with no automatic WAL checkpoints (each copies and syncs pages that later commits
     *  rewrite anyway), then checkpoints once. */
    bulk<T>(fn: () => T): T {
      const previous = db.pragma('wal_autocheckpoint', { simple: true }) as number;
      db.pragma('wal_autocheckpoint = 0');
      try {
        return fn();
      } finally {
        db.pragma(`wal_autocheckpoint = ${previous}`);
        db.pragma('wal_checkpoint(PASSIVE)');
      }
    },
    /** Runs fn in one transaction; the commits made inside it become savepoints of it. */
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
