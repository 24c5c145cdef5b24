import { describe, expect, it } from 'vitest';
import { insertUsageRows, syntheticRows } from '../../test/fixtures/seed-usage-db.ts';
import { openDb } from '../db/open.ts';
import { usageTimeline, type TimelineRow } from '../db/queries/usage-timeline.ts';
import { identifyBlocks } from '../report/identify-blocks.ts';
import { findActiveBlock } from './find-active-block.ts';

const HOUR = 3_600_000;

/** The active block as the whole history defines it: the reference the shortcut must agree with. */
function fromWholeHistory(rows: readonly TimelineRow[], now: number) {
  const last = identifyBlocks(
    rows.filter((r) => r.ts <= now),
    now,
  ).at(-1);
  return last?.isActive ? last : null;
}

describe('findActiveBlock', () => {
  const db = openDb(':memory:');
  insertUsageRows(
    db,
    syntheticRows({ endDay: '2026-03-10', days: 20, projects: 3, sessions: 120, requestsPerSession: 30 }),
  );
  const all = usageTimeline(db, { costMode: 'auto' });

  const instants = Array.from({ length: 40 }, (_, i) => Date.parse('2026-03-03T00:00:00Z') + i * 4.3 * HOUR);

  it.each(instants)('agrees with the whole history at %d', (now) => {
    expect(findActiveBlock(db, 'auto', now)).toEqual(fromWholeHistory(all, now));
  });

  it('meets both active blocks and quiet hours among those instants', () => {
    const active = instants.filter((now) => fromWholeHistory(all, now) !== null).length;
    expect(active).toBeGreaterThan(5);
    expect(active).toBeLessThan(instants.length - 5);
  });

  it('takes rows not indexed yet into the block', () => {
    const now = all.at(-1)!.ts + 10 * 60_000;
    const extra: TimelineRow[] = [
      {
        ts: now - 60_000,
        model: 'claude-opus-4-5-20251101',
        inputTokens: 1000,
        outputTokens: 500,
        cacheCreationTokens: 0,
        cacheReadTokens: 0,
        cost: 0.25,
      },
    ];
    const indexed = findActiveBlock(db, 'auto', now)!;
    const merged = findActiveBlock(db, 'auto', now, extra)!;
    expect(merged.entries).toBe(indexed.entries + 1);
    expect(merged.totalTokens).toBe(indexed.totalTokens + 1500);
    expect(merged.costUSD).toBeCloseTo(indexed.costUSD + 0.25, 9);
  });

  it('starts a block from rows not indexed yet after a long gap', () => {
    const now = all.at(-1)!.ts + 9 * HOUR;
    expect(findActiveBlock(db, 'auto', now)).toBeNull();
    const row = { ...all.at(-1)!, ts: now - 5 * 60_000 };
    expect(findActiveBlock(db, 'auto', now, [row])).toMatchObject({ entries: 1, isActive: true });
  });
});
