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

export function createMessageStore(db: Db, options: { timezone: string; pricing: PriceTable }) {
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
  const replaceMessage = db.prepare(
    `INSERT OR REPLACE INTO messages (key, message_id, request_id, file_id, line_no, ts, day, hour, model, session_id,
       project, cwd, git_branch, version, is_sidechain, agent_id, service_tier, speed, input_tokens, output_tokens,
       cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, total_tokens, web_search_requests,
       cost_logged_usd, cost_calc_usd, superseded)
     VALUES (@key, @messageId, @requestId, @fileId, @lineNo, @ts, @day, @hour, @model, @sessionId, @project, @cwd,
       @gitBranch, @version, @isSidechain, @agentId, @serviceTier, @speed, @input, @output, @cacheWrite5m,
       @cacheWrite1h, @cacheRead, @totalTokens, @webSearchRequests, @costLoggedUsd, @costCalcUsd,
       CASE WHEN @isSidechain = 1 AND EXISTS (SELECT 1 FROM messages p WHERE p.message_id = @messageId
         AND p.is_sidechain = 0 AND p.key <> @key) THEN 1 ELSE 0 END)`,
  );
  const supersedeReplays = db.prepare(
    `UPDATE messages SET superseded = 1 WHERE message_id = ? AND is_sidechain = 1 AND superseded = 0
     RETURNING day, hour, session_id AS sessionId, project`,
  );

  function cost(e: UsageEvent): number | null {
    const match = priceOf(e.model);
    return match ? costUsd(e, match.price, e.speed, options.pricing.longContextThreshold) : null;
  }

  const commit = db.transaction(
    (file: FileState, events: readonly LocatedEvent[], changes: ChangeSet, now: number): CommitResult => {
      const fileId = (upsertFile.get({ ...file, now }) as { id: number }).id;
      const result: CommitResult = { inserted: 0, replaced: 0, duplicates: 0 };
      for (const { event: e, lineNo, sessionId, agentId } of events) {
        const total = totalTokens(e);
        const existing = selectExisting.get(e.key) as Existing | undefined;
        if (existing) {
          const wins =
            total > existing.totalTokens ||
            (total === existing.totalTokens && e.speed !== null && existing.speed === null);
          if (!wins) {
            result.duplicates++;
            continue;
          }
          changes.add(existing.day, existing.hour, existing.sessionId, existing.project);
          result.replaced++;
        } else {
          result.inserted++;
        }
        const { day, hour } = localTime(e.ts);
        replaceMessage.run({
          ...e,
          fileId,
          lineNo,
          day,
          hour,
          sessionId,
          agentId,
          project: file.project,
          isSidechain: e.isSidechain ? 1 : 0,
          totalTokens: total,
          costCalcUsd: cost(e),
        });
        changes.add(day, hour, sessionId, file.project, e.model);
        if (!e.isSidechain) {
          for (const row of supersedeReplays.all(e.messageId) as Pick<
            Existing,
            'day' | 'hour' | 'sessionId' | 'project'
          >[]) {
            changes.add(row.day, row.hour, row.sessionId, row.project);
          }
        }
      }
      return result;
    },
  );

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
    markMissing(paths: readonly string[], now = Date.now()): void {
      db.transaction(() => {
        for (const p of paths) markMissing.run(now, p);
      })();
    },
  };
}

export type MessageStore = ReturnType<typeof createMessageStore>;
