// The stats-cache comparison through real ingest passes: three Claude dirs with the same usage and
// stats-cache.json files of dailyModelTokensVersion none (v1), 2 and 5, each compared like with like.
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assistantLine } from '../../../test/fixtures/fixture-lines.ts';
import { fixtureTree, tempDir, testIndex, type FixtureTree } from '../../../test/fixtures/fixture-tree.ts';
import { statsCacheDisagreements } from './stats-cache-disagreements.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const OPUS = 'claude-opus-4-5';
const HAIKU = 'claude-haiku-4-5-20251001';

/** One day of usage: opus 10 in + 5 out + 100 cache writes (40 of them 1 h) + 1000 cache reads; haiku 2 + 1. */
function writeDay(tree: FixtureTree, tag: string): void {
  tree.write(`p/${tag}.jsonl`, [
    assistantLine({
      id: `${tag}-opus`,
      sessionId: tag,
      timestamp: '2026-03-01T10:00:00Z',
      model: OPUS,
      input: 10,
      output: 5,
      cacheWrite: 100,
      cacheWrite1h: 40,
      cacheRead: 1000,
    }),
    assistantLine({
      id: `${tag}-haiku`,
      sessionId: tag,
      timestamp: '2026-03-01T11:00:00Z',
      model: HAIKU,
      input: 2,
      output: 1,
      cacheRead: 50,
    }),
  ]);
}

function writeCache(
  tree: FixtureTree,
  version: number | undefined,
  days: Record<string, Record<string, number>>,
): void {
  writeFileSync(
    join(tree.claudeDir, 'stats-cache.json'),
    JSON.stringify({
      version: 2,
      ...(version === undefined ? {} : { dailyModelTokensVersion: version }),
      dailyModelTokens: Object.entries(days).map(([date, tokensByModel]) => ({ date, tokensByModel })),
    }),
  );
}

function setup() {
  const root = tempDir();
  const trees = ['a-v1', 'b-v2', 'c-v5'].map((name) => fixtureTree(root, name));
  const index = testIndex(
    trees.map((t) => t.claudeDir),
    join(root, 'data'),
  );
  cleanups.push(() => {
    index.close();
    rmSync(root, { recursive: true, force: true });
  });
  return { trees: trees as [FixtureTree, FixtureTree, FixtureTree], ...index };
}

describe('statsCacheDisagreements', () => {
  it('v5 rows are compared with all four token kinds, v1 and v2 rows with input + output', () => {
    const { trees, db, ingester } = setup();
    const [v1, v2, v5] = trees;
    for (const t of trees) writeDay(t, t.claudeDir.slice(-4));
    // Each file states the day as its version counts it: input + output (15, 3), or all kinds (1115, 53).
    writeCache(v1, undefined, { '2026-03-01': { [OPUS]: 15, [HAIKU]: 3 } });
    writeCache(v2, 2, { '2026-03-01': { [OPUS]: 15, [HAIKU]: 3 } });
    writeCache(v5, 5, { '2026-03-01': { [OPUS]: 1115, [HAIKU]: 53 } });
    ingester.pass();
    expect(statsCacheDisagreements(db)).toEqual([]);

    // The same figures under the other version's reading disagree, each named with what was compared.
    writeCache(v2, 2, { '2026-03-01': { [OPUS]: 1115, [HAIKU]: 3 } });
    writeCache(v5, 5, { '2026-03-01': { [OPUS]: 15, [HAIKU]: 53 } });
    ingester.pass();
    expect(statsCacheDisagreements(db)).toEqual([
      {
        claudeDir: v2.claudeDir,
        date: '2026-03-01',
        model: OPUS,
        version: 2,
        tokenKinds: 'input+output',
        statsCacheTokens: 1115,
        transcriptTokens: 15,
      },
      {
        claudeDir: v5.claudeDir,
        date: '2026-03-01',
        model: OPUS,
        version: 5,
        tokenKinds: 'all',
        statsCacheTokens: 15,
        transcriptTokens: 1115,
      },
    ]);
  });

  it("a dir's figures are compared with its own transcripts; days without any come back as 0", () => {
    const { trees, db, ingester } = setup();
    const [v1, , v5] = trees;
    writeDay(v1, 'only-in-a');
    // c has no transcripts of its own: a's usage does not count for c's stats-cache.
    writeCache(v5, 5, { '2026-03-01': { [OPUS]: 1115 }, '2026-02-01': { [OPUS]: 70 } });
    writeCache(v1, undefined, { '2026-03-01': { [OPUS]: 15, 'claude-gone-1': 4 } });
    ingester.pass();
    expect(
      statsCacheDisagreements(db).map((d) => [
        d.claudeDir,
        d.date,
        d.model,
        d.statsCacheTokens,
        d.transcriptTokens,
      ]),
    ).toEqual([
      [v5.claudeDir, '2026-02-01', OPUS, 70, 0],
      [v1.claudeDir, '2026-03-01', 'claude-gone-1', 4, 0],
      [v5.claudeDir, '2026-03-01', OPUS, 1115, 0],
    ]);
  });

  it('a version above 5 is read as 5 is (all four kinds)', () => {
    const { trees, db, ingester } = setup();
    const [, , v5] = trees;
    writeDay(v5, 'later');
    writeCache(v5, 6, { '2026-03-01': { [OPUS]: 1115, [HAIKU]: 53 } });
    ingester.pass();
    expect(statsCacheDisagreements(db)).toEqual([]);
  });
});
