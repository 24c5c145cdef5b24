// All 5-hour blocks, kept per process and extended incrementally: completed blocks never change, so after the
// first call only messages from the start of the oldest unfinished block on are re-read. If older history
// changed (a late backfill), the count of older messages differs and everything is recomputed.
import type { Db } from '../db/open.ts';
import type { CostMode } from '../db/day-bucket.ts';
import { timelineRows } from '../db/queries/usage-timeline.ts';
import { blockRowsCount } from '../db/queries/block-rows-count.ts';
import { identifyBlocks, maxBlockTokens, type Block } from '../report/identify-blocks.ts';

interface Memo {
  db: Db;
  costMode: CostMode;
  done: Block[];
  resumeTs: number;
  olderCount: number;
}

let memo: Memo | undefined;

export interface BlockHistory {
  blocks: Block[];
  active: Block | undefined;
  /** The limit line: the configured token limit, or the largest completed block for "max". */
  limit: number;
}

export function blockHistory(
  db: Db,
  costMode: CostMode,
  now: number,
  tokenLimit: number | 'max',
): BlockHistory {
  if (
    !memo ||
    memo.db !== db ||
    memo.costMode !== costMode ||
    blockRowsCount(db, memo.resumeTs) !== memo.olderCount
  ) {
    memo = { db, costMode, done: [], resumeTs: 0, olderCount: 0 };
  }
  const fresh = identifyBlocks(timelineRows(db, { costMode, fromTs: memo.resumeTs }), now);
  const blocks = [...memo.done, ...fresh];
  // Every block but the last is final (a later message started the next one); resume at a real block's start
  // so the next detection begins exactly where this one would have.
  let keep = blocks.length - 1;
  while (keep > memo.done.length && blocks[keep]?.isGap) keep--;
  if (keep > memo.done.length) {
    const resumeTs = Date.parse(blocks[keep]!.startTime);
    memo.done = blocks.slice(0, keep);
    memo.resumeTs = resumeTs;
    memo.olderCount = blockRowsCount(db, resumeTs);
  }
  const active = blocks.find((b) => b.isActive);
  return { blocks, active, limit: tokenLimit === 'max' ? maxBlockTokens(blocks) : tokenLimit };
}
