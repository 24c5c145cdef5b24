// `ctm report blocks`: 5-hour blocks over the whole timeline (filtered to --since/--until by start day after
// they are identified, as ccusage does), each with its token-limit status.
import type { Db } from '../db/open.ts';
import type { UsageFilter } from '../db/queries/usage-by-period.ts';
import { usageTimeline } from '../db/queries/usage-timeline.ts';
import { identifyBlocks, maxBlockTokens, type Block } from './identify-blocks.ts';

export function blocksReport(
  db: Db,
  filter: UsageFilter,
  options: { tokenLimit: number | 'max'; now: number },
) {
  const rows = usageTimeline(db, { costMode: filter.costMode, project: filter.project });
  let blocks = identifyBlocks(rows, options.now);
  const limit = options.tokenLimit === 'max' ? maxBlockTokens(blocks) : options.tokenLimit;
  if (filter.since || filter.until) {
    blocks = blocks.filter(
      (b) =>
        (!filter.since || b.startTime.slice(0, 10) >= filter.since) &&
        (!filter.until || b.startTime.slice(0, 10) <= filter.until),
    );
  }
  return blocks.map((b) => ({ ...b, tokenLimitStatus: tokenLimitStatus(b, limit) }));
}

/** As ccusage: only a block with a projection (the active one) gets a status; "warning" above 80 %. */
export function tokenLimitStatus(b: Block, limit: number) {
  if (!b.projection || limit <= 0) return undefined;
  const projectedUsage = b.projection.totalTokens;
  return {
    limit,
    projectedUsage,
    percentUsed: (projectedUsage / limit) * 100,
    status: projectedUsage > limit ? 'exceeds' : projectedUsage > limit * 0.8 ? 'warning' : 'ok',
  };
}
