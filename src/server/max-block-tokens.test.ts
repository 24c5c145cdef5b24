import { describe, expect, it } from 'vitest';
import { openDb } from '../db/open.ts';
import { usageTimeline } from '../db/queries/usage-timeline.ts';
import { identifyBlocks, maxBlockTokens } from '../report/identify-blocks.ts';
import { insertUsageRows, syntheticRows } from '../../test/fixtures/seed-usage-db.ts';
import { computeMaxBlockTokens } from './max-block-tokens.ts';

describe('computeMaxBlockTokens', () => {
  it('equals identifyBlocks + maxBlockTokens, also when resumed after more data arrives', () => {
    const db = openDb(':memory:');
    const rows = syntheticRows({
      endDay: '2026-03-31',
      days: 60,
      projects: 5,
      sessions: 300,
      requestsPerSession: 20,
    });
    const cut = rows.filter((r) => r.ts < Date.parse('2026-03-01T00:00:00Z'));
    insertUsageRows(db, cut);
    const now1 = Date.parse('2026-03-01T00:00:00Z');
    const first = computeMaxBlockTokens(db, now1);
    expect(first.max).toBe(maxBlockTokens(identifyBlocks(usageTimeline(db, { costMode: 'auto' }), now1)));
    insertUsageRows(db, rows.slice(cut.length));
    const now2 = Date.parse('2026-04-01T12:00:00Z');
    const resumed = computeMaxBlockTokens(db, now2, first);
    expect(resumed.max).toBe(maxBlockTokens(identifyBlocks(usageTimeline(db, { costMode: 'auto' }), now2)));
    expect(resumed.max).toBeGreaterThan(0);
  });

  it('does not count the active block', () => {
    const db = openDb(':memory:');
    const now = Date.parse('2026-03-01T12:30:00Z');
    insertUsageRows(db, [
      {
        ts: now - 20 * 3600e3,
        model: 'claude-sonnet-4-5',
        sessionId: 's',
        project: 'p',
        cwd: '/p',
        input: 100,
        output: 0,
      },
      {
        ts: now - 10 * 60e3,
        model: 'claude-sonnet-4-5',
        sessionId: 's',
        project: 'p',
        cwd: '/p',
        input: 5000,
        output: 0,
      },
    ]);
    expect(computeMaxBlockTokens(db, now).max).toBe(100);
  });
});
