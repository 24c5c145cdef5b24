// Writes one file's new events and its new read position in a single transaction, so a kill -9 at any
// moment loses nothing and counts nothing twice. Dedup is global: one row per message.id + requestId,
// keeping the copy with the largest token total (streaming-start copies lose); on a tie the stored copy
// stays unless the newcomer carries usage.speed. A sidechain copy of a parent's message is superseded.
import type { Db } from '../src/db/open.ts';
import type { PriceTable } from '../src/pricing/pricing-schema.ts';
import { matchModel } from '../src/pricing/match-model.ts';
import { costUsd } from '../src/pricing/cost.ts';
import { makeLocalTime } from '../src/time/local-time.ts';
import { totalTokens, type UsageEvent } from './parse-line.ts';
import type { ChangeSet } from './change-set.ts';

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

interface Existing {
  day: string;
  hour: number;
  sessionId: string;
  project: string;
  totalTokens: number;
  speed: string | null;
}

const SIDECHAIN_IDS_MAX = 100_000;

const MESSAGE_COLUMNS = [
  'key',
  'message_id',
  'request_id',
  'file_id',
  'line_no',
  'ts',
  'day',
  'hour',
  'model',
  'session_id',
  'project',
  'cwd',
  'git_branch',
  'version',
  'is_sidechain',
  'agent_id',
  'service_tier',
  'speed',
  'input_tokens',
  'output_tokens',
  'cache_write_5m_tokens',
  'cache_write_1h_tokens',
  'cache_read_tokens',
  'total_tokens',
  'web_search_requests',
  'cost_logged_usd',
  'cost_calc_usd',
  'superseded',
];

export function createMessageStore(db: Db, options: { timezone: string; pricing: PriceTable }) {
  // The writer's page cache: 8 MB keeps the hot index pages; more buys a bulk ingest no measurable speed
  // and costs resident memory (a cold ingest of 1 GB must stay within 250 MB).
  db.pragma('cache_size = -8000');
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
    `SELECT day, hour, session_id AS sessionId, project, total_tokens AS totalTokens, speed FROM messages WHERE key = ?`,
  );
  // An upsert, not INSERT OR REPLACE: the replaced row must fire the update trigger that keeps usage_daily
  // in step (REPLACE's implicit delete fires no trigger unless recursive_triggers is on).
  const insertMessage = `INTO messages (${MESSAGE_COLUMNS.join(', ')})
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
       CASE WHEN ? = 1 AND EXISTS (SELECT 1 FROM messages p WHERE p.message_id = ?
         AND p.is_sidechain = 0 AND p.key <> ?) THEN 1 ELSE 0 END)`;
  const replaceMessage = db.prepare(
    `INSERT ${insertMessage} ON CONFLICT (key) DO UPDATE SET ` +
      MESSAGE_COLUMNS.slice(1)
        .map((c) => `${c} = excluded.${c}`)
        .join(', '),
  );
  // Same columns and values: for keys not stored yet, which is nearly all of them on a first pass.
  const insertNew = db.prepare(`INSERT OR IGNORE ${insertMessage}`);
  const supersedeReplays = db.prepare(
    `UPDATE messages SET superseded = 1 WHERE message_id = ? AND is_sidechain = 1 AND superseded = 0
     RETURNING day, hour, session_id AS sessionId, project`,
  );

  function cost(e: UsageEvent): number | null {
    const match = priceOf(e.model);
    return match ? costUsd(e, match.price, e.speed, options.pricing.longContextThreshold) : null;
  }

  // Message ids of the sidechain rows this store wrote. When the table was empty at the start (a first
  // ingest), replays of a parent can only be among them, so the supersede UPDATE is skipped for the rest.
  // Past SIDECHAIN_IDS_MAX ids the set is dropped and every parent runs the UPDATE again.
  const sidechainIds = new Set<string>();
  let sidechainIdsComplete = db.prepare('SELECT 1 FROM messages LIMIT 1').get() === undefined;

  function write(
    file: FileState,
    fileId: number,
    copy: LocatedEvent,
    changes: ChangeSet,
    statement = replaceMessage,
  ): boolean {
    const { event: e, lineNo, sessionId, agentId } = copy;
    const { day, hour } = localTime(e.ts);
    // Positional parameters in column order, then the three the supersede check reads (cheaper than binding
    // a named object per row).
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
      cost(e),
      e.isSidechain ? 1 : 0,
      e.messageId,
      e.key,
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
    return true;
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

  function supersede(messageId: string, changes: ChangeSet): void {
    if (sidechainIdsComplete && !sidechainIds.has(messageId)) return;
    for (const row of supersedeReplays.all(messageId) as Pick<
      Existing,
      'day' | 'hour' | 'sessionId' | 'project'
    >[]) {
      changes.add(row.day, row.hour, row.sessionId, row.project);
    }
  }

  const commit = db.transaction(
    (file: FileState, events: readonly LocatedEvent[], changes: ChangeSet, now: number): CommitResult => {
      const fileId = (upsertFile.get({ ...file, now }) as { id: number }).id;
      const result: CommitResult = { inserted: 0, replaced: 0, duplicates: 0 };
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
          if (write(file, fileId, freshLast, changes, insertNew)) {
            result.inserted++;
            result.replaced += fresh.length - 1;
            result.duplicates += copies.length - fresh.length;
            if (!freshLast.event.isSidechain) supersede(freshLast.event.messageId, changes);
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
        for (const copy of sameKind ? [last] : winners) {
          write(file, fileId, copy, changes);
          if (!copy.event.isSidechain) supersede(copy.event.messageId, changes);
        }
        if (sameKind) for (const w of winners) if (w !== last) addChange(w, file, changes);
      }
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
      return db.transaction(fn)();
    },
    markMissing(paths: readonly string[], now = Date.now()): void {
      db.transaction(() => {
        for (const p of paths) markMissing.run(now, p);
      })();
    },
  };
}

export type MessageStore = ReturnType<typeof createMessageStore>;
