// The active 5-hour block without reading the whole history: blocks chain from the first message after a gap
// of more than five hours, so the look-back window grows a day at a time until it starts after such a gap
// (a week at most; beyond that the window start is taken as a chain start).
import type { CostMode } from '../db/day-bucket.ts';
import type { Db } from '../db/open.ts';
import { lastMessageBefore } from '../db/queries/last-message-before.ts';
import { usageTimeline } from '../db/queries/usage-timeline.ts';
import { BLOCK_MS, identifyBlocks, type Block } from '../report/identify-blocks.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export function findActiveBlock(db: Db, costMode: CostMode, now: number): Block | null {
  for (let days = 1; days <= 7; days++) {
    const from = now - days * DAY_MS;
    const rows = usageTimeline(db, { costMode, fromTs: from, toTs: now + 1 });
    if (rows.length === 0 || now - rows.at(-1)!.ts >= BLOCK_MS) return null;
    const before = lastMessageBefore(db, from);
    if (before === null || rows[0]!.ts - before > BLOCK_MS || days === 7) {
      const last = identifyBlocks(rows, now).at(-1);
      return last?.isActive ? last : null;
    }
  }
  return null;
}
