import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDb, type Db } from '../src/db/open.ts';
import { tempDir } from '../test/fixtures/fixture-tree.ts';
import { indexStatsCache } from './stats-cache.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function setup(): { db: Db; claudeDir(name: string): string } {
  const root = tempDir();
  const db = openDb(join(root, 'ctm.db'));
  cleanups.push(() => {
    db.close();
    rmSync(root, { recursive: true, force: true });
  });
  return {
    db,
    claudeDir(name) {
      const dir = join(root, name);
      mkdirSync(join(dir, 'projects'), { recursive: true });
      return dir;
    },
  };
}

/** A stats-cache.json as Claude Code writes it; dailyModelTokensVersion only when given. */
function writeCache(dir: string, dailyModelTokensVersion: number | undefined, extra: object = {}): void {
  const file: Record<string, unknown> = {
    version: 2,
    lastComputedDate: '2026-03-02',
    dailyActivity: [{ date: '2026-03-01', messageCount: 4, sessionCount: 1, toolCallCount: 2 }],
    dailyModelTokens: [
      { date: '2026-03-01', tokensByModel: { 'claude-opus-4-5': 15, 'claude-haiku-4-5': 3 } },
      { date: '2026-03-02', tokensByModel: { 'claude-opus-4-5': 99 } },
    ],
    modelUsage: {
      'claude-opus-4-5': {
        inputTokens: 20,
        outputTokens: 10,
        cacheReadInputTokens: 400,
        cacheCreationInputTokens: 50,
      },
    },
    totalSessions: 1,
    totalMessages: 4,
    ...extra,
  };
  if (dailyModelTokensVersion !== undefined) file.dailyModelTokensVersion = dailyModelTokensVersion;
  writeFileSync(join(dir, 'stats-cache.json'), JSON.stringify(file));
}

const dailyRows = (db: Db) =>
  db
    .prepare(
      `SELECT claude_dir AS claudeDir, date, model, tokens, version FROM stats_cache_daily
       ORDER BY claude_dir, date, model`,
    )
    .all();

describe('indexStatsCache', () => {
  it('stores each daily row with its dailyModelTokensVersion: none (v1), 2 and 5', () => {
    const { db, claudeDir } = setup();
    const v1 = claudeDir('a-v1');
    const v2 = claudeDir('b-v2');
    const v5 = claudeDir('c-v5');
    writeCache(v1, undefined, { totalSpeculationTimeSavedMs: 1200 });
    writeCache(v2, 2);
    // Today's file: more top-level and modelUsage fields than ctm reads, all of them tolerated.
    writeCache(v5, 5, {
      version: 3,
      hourCounts: { '12': 4 },
      shotDistribution: { '1': 3 },
      longestSession: {
        sessionId: 's',
        duration: 3600000,
        messageCount: 7,
        timestamp: '2026-03-01T12:00:00Z',
      },
      firstSessionDate: '2026-03-01T00:00:00Z',
      modelUsage: {
        'claude-opus-4-5': {
          inputTokens: 20,
          outputTokens: 10,
          cacheReadInputTokens: 400,
          cacheCreationInputTokens: 50,
          webSearchRequests: 1,
          costUSD: 0.5,
          contextWindow: 200000,
          maxOutputTokens: 64000,
        },
      },
    });
    expect([v1, v2, v5].map((d) => indexStatsCache(db, d))).toEqual(['indexed', 'indexed', 'indexed']);
    const versions = (dir: string) =>
      dailyRows(db)
        .filter((r) => (r as { claudeDir: string }).claudeDir === dir)
        .map((r) => (r as { version: number }).version);
    expect(versions(v1)).toEqual([1, 1, 1]);
    expect(versions(v2)).toEqual([2, 2, 2]);
    expect(versions(v5)).toEqual([5, 5, 5]);
    expect(dailyRows(db).filter((r) => (r as { claudeDir: string }).claudeDir === v5)).toEqual([
      { claudeDir: v5, date: '2026-03-01', model: 'claude-haiku-4-5', tokens: 3, version: 5 },
      { claudeDir: v5, date: '2026-03-01', model: 'claude-opus-4-5', tokens: 15, version: 5 },
      { claudeDir: v5, date: '2026-03-02', model: 'claude-opus-4-5', tokens: 99, version: 5 },
    ]);
    expect(db.prepare('SELECT count(*) AS n FROM stats_cache_models').get()).toEqual({ n: 3 });
    expect(db.prepare('SELECT count(*) AS n FROM stats_cache_activity').get()).toEqual({ n: 3 });
  });

  it("a rewritten file replaces its dir's rows (version and days), leaving other dirs alone", () => {
    const { db, claudeDir } = setup();
    const a = claudeDir('a');
    const b = claudeDir('b');
    writeCache(a, undefined);
    writeCache(b, 2);
    indexStatsCache(db, a);
    indexStatsCache(db, b);
    // Claude Code bumps the version and rebuilds the column from the transcripts still on disk.
    writeFileSync(
      join(a, 'stats-cache.json'),
      JSON.stringify({
        dailyModelTokensVersion: 5,
        dailyModelTokens: [{ date: '2026-03-02', tokensByModel: { 'claude-opus-4-5': 1115 } }],
      }),
    );
    expect(indexStatsCache(db, a)).toBe('indexed');
    expect(dailyRows(db)).toEqual([
      { claudeDir: a, date: '2026-03-02', model: 'claude-opus-4-5', tokens: 1115, version: 5 },
      { claudeDir: b, date: '2026-03-01', model: 'claude-haiku-4-5', tokens: 3, version: 2 },
      { claudeDir: b, date: '2026-03-01', model: 'claude-opus-4-5', tokens: 15, version: 2 },
      { claudeDir: b, date: '2026-03-02', model: 'claude-opus-4-5', tokens: 99, version: 2 },
    ]);
  });

  it.each([
    ['a version that is a string', '"5"'],
    ['a negative version', '-1'],
    ['a fractional version', '4.5'],
  ])('%s makes the file malformed; the previous index stays', (_name, raw) => {
    const { db, claudeDir } = setup();
    const dir = claudeDir('c');
    writeCache(dir, 5);
    indexStatsCache(db, dir);
    const before = dailyRows(db);
    writeFileSync(
      join(dir, 'stats-cache.json'),
      `{"dailyModelTokensVersion": ${raw}, "dailyModelTokens": [{"date": "2026-04-01", "tokensByModel": {"m": 1}}]}`,
    );
    expect(indexStatsCache(db, dir)).toBe('malformed');
    expect(dailyRows(db)).toEqual(before);
  });

  it('absent, unreadable JSON and a wrong shape are reported, never thrown', () => {
    const { db, claudeDir } = setup();
    const dir = claudeDir('c');
    expect(indexStatsCache(db, dir)).toBe('absent');
    writeFileSync(join(dir, 'stats-cache.json'), '{ not json');
    expect(indexStatsCache(db, dir)).toBe('malformed');
    writeFileSync(join(dir, 'stats-cache.json'), '[]');
    expect(indexStatsCache(db, dir)).toBe('malformed');
    expect(dailyRows(db)).toEqual([]);
  });
});
