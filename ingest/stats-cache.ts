// Indexes Claude Code's own stats-cache.json (daily activity, per-day tokens per model, per-model totals) so
// it can be checked against the transcripts. It is a cache Claude Code refreshes lazily, often weeks stale:
// a mismatch is reported, never "fixed". A missing or malformed file is noted and skipped. Each daily row
// keeps the file's dailyModelTokensVersion: from 5 on the daily figures count all four token kinds, before
// (or without the key) input and output only, and the comparison has to know which.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import type { Db } from '../src/db/open.ts';

const n = v.nullish(v.number());
const statsCacheSchema = v.object({
  lastComputedDate: v.nullish(v.string()),
  dailyModelTokensVersion: v.nullish(v.pipe(v.number(), v.integer(), v.minValue(0))),
  dailyActivity: v.nullish(
    v.array(v.object({ date: v.string(), messageCount: n, sessionCount: n, toolCallCount: n })),
  ),
  dailyModelTokens: v.nullish(
    v.array(v.object({ date: v.string(), tokensByModel: v.record(v.string(), v.number()) })),
  ),
  modelUsage: v.nullish(
    v.record(
      v.string(),
      v.object({ inputTokens: n, outputTokens: n, cacheReadInputTokens: n, cacheCreationInputTokens: n }),
    ),
  ),
});

export type StatsCacheStatus = 'indexed' | 'absent' | 'malformed';

/** The version a file without dailyModelTokensVersion is stored as (the column's default, too). */
export const UNVERSIONED_DAILY_TOKENS = 1;

export function indexStatsCache(db: Db, claudeDir: string): StatsCacheStatus {
  let text: string;
  try {
    text = readFileSync(join(claudeDir, 'stats-cache.json'), 'utf8');
  } catch {
    return 'absent';
  }
  let parsed: v.InferOutput<typeof statsCacheSchema>;
  try {
    const json: unknown = JSON.parse(text);
    // valibot's object() takes an array too; a top-level array must not wipe the previous index.
    if (Array.isArray(json)) return 'malformed';
    const result = v.safeParse(statsCacheSchema, json);
    if (!result.success) return 'malformed';
    parsed = result.output;
  } catch {
    return 'malformed';
  }
  db.transaction(() => {
    for (const table of ['stats_cache_daily', 'stats_cache_activity', 'stats_cache_models']) {
      db.prepare(`DELETE FROM ${table} WHERE claude_dir = ?`).run(claudeDir);
    }
    const daily = db.prepare(
      `INSERT OR REPLACE INTO stats_cache_daily (claude_dir, date, model, tokens, version)
       VALUES (?, ?, ?, ?, ?)`,
    );
    const version = parsed.dailyModelTokensVersion ?? UNVERSIONED_DAILY_TOKENS;
    for (const day of parsed.dailyModelTokens ?? []) {
      for (const [model, tokens] of Object.entries(day.tokensByModel))
        daily.run(claudeDir, day.date, model, tokens, version);
    }
    const activity = db.prepare(
      `INSERT OR REPLACE INTO stats_cache_activity (claude_dir, date, message_count, session_count,
         tool_call_count) VALUES (?, ?, ?, ?, ?)`,
    );
    for (const a of parsed.dailyActivity ?? []) {
      activity.run(
        claudeDir,
        a.date,
        a.messageCount ?? null,
        a.sessionCount ?? null,
        a.toolCallCount ?? null,
      );
    }
    const models = db.prepare(
      `INSERT OR REPLACE INTO stats_cache_models (claude_dir, model, input_tokens, output_tokens,
         cache_read_tokens, cache_creation_tokens) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    for (const [model, u] of Object.entries(parsed.modelUsage ?? {})) {
      models.run(
        claudeDir,
        model,
        u.inputTokens ?? null,
        u.outputTokens ?? null,
        u.cacheReadInputTokens ?? null,
        u.cacheCreationInputTokens ?? null,
      );
    }
    if (parsed.lastComputedDate) {
      db.prepare(
        `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      ).run(`stats_cache_last_computed:${claudeDir}`, parsed.lastComputedDate);
    }
  })();
  return 'indexed';
}
