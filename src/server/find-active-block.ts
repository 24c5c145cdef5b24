// The active 5-hour block without reading the whole history: blocks chain only across gaps of at most five
// hours, so the rows after the last longer gap decide it; the look-back window grows a day at a time until it
// holds such a gap or starts after one (a week at most; beyond that the window start is taken as a chain start).
// `extra` rows (requests not indexed yet, e.g. the status line's transcript tail) join the indexed ones.
import type { CostMode } from '../db/day-bucket.ts';
import type { Db } from '../db/open.ts';
import { lastMessageBefore } from '../db/queries/last-message-before.ts';
import { usageTimeline, type TimelineRow } from '../db/queries/usage-timeline.ts';
import { BLOCK_MS, identifyBlocks, type Block } from '../report/identify-blocks.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

function activeOf(rows: readonly TimelineRow[], now: number): Block | null {
  const last = identifyBlocks(rows, now).at(-1);
  return last?.isActive ? last : null;
}

/** Index of the first row after the last gap of more than five hours, or 0. */
function afterLastGap(rows: readonly TimelineRow[]): number {
  for (let i = rows.length - 1; i > 0; i--) if (rows[i]!.ts - rows[i - 1]!.ts > BLOCK_MS) return i;
  return 0;
}

export function findActiveBlock(
  db: Db,
  costMode: CostMode,
  now: number,
  extra: readonly TimelineRow[] = [],
): Block | null {
  for (let days = 1; days <= 7; days++) {
    const from = now - days * DAY_MS;
    let rows = usageTimeline(db, { costMode, fromTs: from, toTs: now + 1 });
    const more = extra.filter((r) => r.ts >= from && r.ts <= now);
    if (more.length) rows = [...rows, ...more].sort((a, b) => a.ts - b.ts);
    if (rows.length === 0 || now - rows.at(-1)!.ts >= BLOCK_MS) return null;
    const cut = afterLastGap(rows);
    if (cut > 0) return activeOf(rows.slice(cut), now);
    const before = lastMessageBefore(db, from);
    if (before === null || rows[0]!.ts - before > BLOCK_MS || days === 7) return activeOf(rows, now);
  }
  return null;
}
