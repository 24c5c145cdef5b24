// The blocks page's official limits: read from the limits.db a status-line call wrote, beside ctm's block.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistantLine } from '../../../test/fixtures/fixture-lines.ts';
import { fixtureTree, tempDir, testIndex, type TestIndex } from '../../../test/fixtures/fixture-tree.ts';
import { loadConfig } from '../../config.ts';
import { openLimitsWriter } from '../../db/limits/open-limits.ts';
import { recordObservation } from '../../../test/fixtures/record-observation.ts';
import type { SiteContext } from '../site-context.ts';
import { loadBlocks } from './blocks.ts';

const tree = fixtureTree();
const dataDir = tempDir();
const NOW = Date.parse('2026-11-20T12:00:00Z');
const H = 3_600_000;
let index: TestIndex;
let ctx: SiteContext;

beforeAll(() => {
  tree.write('p/s1.jsonl', [
    assistantLine({ id: 'm1', sessionId: 's1', timestamp: '2026-11-20T10:20:00Z', input: 1000, output: 400 }),
  ]);
  index = testIndex([tree.claudeDir], dataDir);
  index.ingester.pass();
  ctx = {
    config: loadConfig({ CTM_DATA_DIR: dataDir, CTM_TZ: 'UTC' }),
    db: index.db,
    filter: { timezone: 'UTC', costMode: 'auto' },
    now: NOW,
  };
});
afterAll(() => {
  index.close();
  tree.remove();
});

describe('the blocks page: official limits', () => {
  it('null before any status-line call', () => {
    expect(loadBlocks(ctx).official).toBeNull();
  });

  it('each window, the chart of their use, beside the active block', async () => {
    const db = await openLimitsWriter(dataDir, Date.now() + 2000);
    const w = (usedPercentage: number, resetsAt: number) => ({
      usedPercentage,
      resetsAt,
      usedUsd: null,
      limitUsd: null,
      period: null,
    });
    for (const [at, five] of [
      [NOW - 2 * H, 20],
      [NOW - H, 35],
    ] as const) {
      recordObservation(
        db,
        {
          sessionId: 's1',
          at,
          promptCache: null,
          rateLimits: { five_hour: w(five, NOW + 2 * H), seven_day: w(50, NOW + 72 * H) },
        },
        Date.now() + 1000,
      );
    }
    db.close();
    const d = loadBlocks(ctx);
    expect(d.active?.endTime).toBe('2026-11-20T15:00:00.000Z');
    expect(d.official!.windows.map((x) => [x.window, x.usedPercentage, x.current])).toEqual([
      ['five_hour', 35, true],
      ['seven_day', 50, true],
    ]);
    expect(d.official!.chart).toMatchObject({
      values: [
        [20, 35, 35],
        [50, 50, 50],
      ],
      limit: { value: 90 },
    });
    expect(d.official!.chart!.xLabels.at(-1)).toMatch(/12:00/);
  });
});
