// Indexes Claude Code's own stats-cache.json (daily activity, per-day tokens per model, per-model totals) so
// it can be checked against the transcripts. It is a cache Claude Code refreshes lazily, often weeks stale:
// a mismatch is reported, never "fixed". A missing or malformed file is noted and skipped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import type { Db } from '../src/db/open.ts';

const n = v.nullish(v.number());
const statsCacheSchema = v.object({
  lastComputedDate: v.nullish(v.string()),
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

export function indexStatsCache(db: Db, claudeDir: string): StatsCacheStatus {
  let text: string;
  try {
    text = readFileSync(join(claudeDir, 'stats-cache.json'), 'utf8');
  } catch {
    return 'absent';
  }
  let parsed: v.InferOutput<typeof statsCacheSchema>;
  try {
    const result = v.safeParse(statsCacheSchema, JSON.parse(text));
    if (!result.success) return 'malformed';
    parsed = result.output;
  } catch {
    return 'malformed';
  }
  db.transaction(() => {
    for (const table of ['stats_cache_daily', 'stats_cache_activity', 'stats_cache_models']) {
      db.prepare(`DELETE FROM ${table} WHERE claude_dir = ?`).run(claudeDir);
    }
    const daily = db.prepare('INSERT OR REPLACE INTO stats_cache_daily VALUES (?, ?, ?, ?)');
    for (const day of parsed.dailyModelTokens ?? []) {
      for (const [model, tokens] of Object.entries(day.tokensByModel))
        daily.run(claudeDir, day.date, model, tokens);
    }
    const activity = db.prepare('INSERT OR REPLACE INTO stats_cache_activity VALUES (?, ?, ?, ?, ?)');
    for (const a of parsed.dailyActivity ?? []) {
      activity.run(
        claudeDir,
        a.date,
        a.messageCount ?? null,
        a.sessionCount ?? null,
        a.toolCallCount ?? null,
      );
    }
    const models = db.prepare('INSERT OR REPLACE INTO stats_cache_models VALUES (?, ?, ?, ?, ?, ?)');
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
