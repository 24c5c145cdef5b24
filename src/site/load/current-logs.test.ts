// The pages' data for today's logs, from a real pass over transcripts the test writes: Claude Code's own
// session cost beside ctm's, subagent types, thinking and searches, the last limit hit (blocks page and
// /api/v1/live) and days known only from Claude Code's stats cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureTree, tempDir, testIndex, type TestIndex } from '../../../test/fixtures/fixture-tree.ts';
import { assistantLine, costStateLine, limitHitLine } from '../../../test/fixtures/fixture-lines.ts';
import { loadConfig } from '../../config.ts';
import type { SiteContext } from '../site-context.ts';
import { loadSession } from './session.ts';
import { loadBlocks } from './blocks.ts';
import { loadOverview } from './overview.ts';
import { loadPeriods } from './periods.ts';
import { liveSnapshot } from '../../server/live-snapshot.ts';
import { STATS_CACHE_LABEL } from '../../components/charts/stats-cache-series.ts';

const tree = fixtureTree();
const dataDir = tempDir();
let index: TestIndex;
let ctx: SiteContext;
const NOW = Date.parse('2026-11-20T12:00:00Z');
const resetsAt = Math.floor(Date.parse('2026-11-20T15:00:00Z') / 1000);

beforeAll(() => {
  tree.write('p/s1.jsonl', [
    assistantLine({
      id: 'm1',
      sessionId: 's1',
      timestamp: '2026-11-20T10:00:00Z',
      model: 'claude-opus-5-5',
      input: 1000,
      output: 400,
      thinking: 300,
      webSearch: 3,
      webFetch: 2,
    }),
    limitHitLine({ sessionId: 's1', timestamp: '2026-11-20T10:30:00Z', resetsAt }),
    costStateLine('s1', 0.05),
  ]);
  tree.write('p/s1/subagents/agent-abc.jsonl', [
    assistantLine({
      id: 'm2',
      sessionId: 's1',
      timestamp: '2026-11-20T10:10:00Z',
      model: 'claude-haiku-5-5',
      isSidechain: true,
      agentId: 'abc',
      input: 100,
      output: 10,
    }),
  ]);
  tree.write(
    'p/s1/subagents/agent-abc.meta.json',
    JSON.stringify({ agentType: 'Explore', description: 'look' }),
  );
  writeFileSync(
    join(tree.claudeDir, 'stats-cache.json'),
    JSON.stringify({
      version: 2,
      dailyModelTokensVersion: 5,
      lastComputedDate: '2026-11-20',
      dailyModelTokens: [
        { date: '2026-11-01', tokensByModel: { 'claude-opus-5': 5000, 'claude-sonnet-5': 700 } },
        { date: '2026-11-20', tokensByModel: { 'claude-opus-5-5': 1400 } },
      ],
    }),
  );
  index = testIndex([tree.claudeDir], dataDir);
  index.ingester.pass();
  const config = loadConfig({ CTM_DATA_DIR: dataDir, CTM_TZ: 'UTC' });
  ctx = { config, db: index.db, filter: { timezone: 'UTC', costMode: 'auto' }, now: NOW };
});
afterAll(() => {
  index.close();
  tree.remove();
});

describe('the pages on today’s logs', () => {
  it('the session page: Claude Code’s figure, subagent types, thinking, searches and fetches', () => {
    const d = loadSession(ctx, 's1')!;
    expect(d.reportedCost).toBe(0.05);
    expect(d.agentTypes.get('abc')).toEqual({ agentType: 'Explore', description: 'look' });
    expect(d.agents.find((a) => a.key === 'abc')?.label).toBe('Explore');
    expect(d.thinkingTokens).toBe(300);
    expect(d.session.webSearchRequests).toBe(3);
    expect(d.webFetchRequests).toBe(2);
    expect(d.session.outputTokens).toBe(410);
    // The searches are in the cost: 1000 × $4 + 400 × $20 per million, plus 3 × $0.01.
    expect(d.models.find((m) => m.key === 'claude-opus-5-5')!.cost).toBeCloseTo(0.004 + 0.008 + 0.03, 12);
  });

  it('the blocks page and /api/v1/live show the last limit hit and its reset time', () => {
    const hit = loadBlocks(ctx).limitHit!;
    expect(hit).toMatchObject({
      ts: Date.parse('2026-11-20T10:30:00Z'),
      sessionId: 's1',
      rateLimitType: 'five_hour',
    });
    expect(hit.resetsAt).toBe(resetsAt * 1000);
    const live = liveSnapshot(index.db, {
      timezone: 'UTC',
      costMode: 'auto',
      tokenLimit: 'max',
      maxBlockTokens: 0,
      now: NOW,
      lastIngestAt: null,
      lastBuildAt: null,
    });
    expect(live.lastLimitHit).toEqual({
      at: '2026-11-20T10:30:00.000Z',
      sessionId: 's1',
      project: expect.any(String),
      status: 'rejected',
      rateLimitType: 'five_hour',
      resetsAt: '2026-11-20T15:00:00.000Z',
      active: true,
    });
  });

  it('a day only the stats cache knows is its own series and table on the overview and days pages', () => {
    const days = loadPeriods(ctx, 'day');
    expect(days.statsCacheDays).toEqual([
      { day: '2026-11-01', tokens: 5700, models: expect.stringMatching(/claude-opus-5/), allKinds: true },
    ]);
    const series = days.chart.series.findIndex((s) => s.label === STATS_CACHE_LABEL);
    expect(series).toBeGreaterThan(-1);
    expect(days.chart.xLabels).toEqual(['2026-11-01', '2026-11-20']);
    expect(days.chart.values[series]).toEqual([5700, null]);
    const overview = loadOverview(ctx);
    expect(overview.statsCacheDays.map((d) => d.day)).toEqual(['2026-11-01']);
    expect(overview.chart.series.at(-1)!.label).toBe(STATS_CACHE_LABEL);
    // Never in the figures from transcripts.
    expect(overview.periods.at(-1)!.totals.totalTokens).toBe(1400 + 110);
  });
});
