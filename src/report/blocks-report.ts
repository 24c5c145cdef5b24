// `ctm report blocks`: 5-hour blocks over the whole timeline (filtered to --since/--until by the local day of
// their start after they are identified, as ccusage does), each with its token-limit status and, where Claude
// Code hit a rate limit inside the block's window, when that limit reset (usageLimitResetTime).
import type { Db } from '../db/open.ts';
import type { UsageFilter } from '../db/queries/usage-by-period.ts';
import { limitHits, type LimitHit } from '../db/queries/limit-hits.ts';
import { timelineRows } from '../db/queries/usage-timeline.ts';
import { makeLocalTime } from '../time/local-time.ts';
import { identifyBlocks, maxBlockTokens, type Block } from './identify-blocks.ts';
import type { Order } from './period-report.ts';

export interface BlocksOptions {
  tokenLimit: number | 'max';
  now: number;
  /** Only the last N blocks with usage (and the gaps between them). */
  last?: number | undefined;
  order?: Order | undefined;
}

export type ReportBlock = Block & {
  tokenLimitStatus: ReturnType<typeof tokenLimitStatus>;
  usageLimitResetTime?: string;
};

export function blocksReport(db: Db, filter: UsageFilter, options: BlocksOptions): ReportBlock[] {
  return blocksWithLimit(db, filter, options).blocks;
}

/** The blocks and the token limit they were measured against: `max` resolved over the whole timeline, undefined
 * when it has no completed block; a limit given is kept as it is, 0 too (as ccusage keeps `-t 0`). */
export function blocksWithLimit(
  db: Db,
  filter: UsageFilter,
  options: BlocksOptions,
): { blocks: ReportBlock[]; limit: number | undefined } {
  let blocks = identifyBlocks(
    timelineRows(db, { costMode: filter.costMode, project: filter.project }),
    options.now,
  );
  const limit = options.tokenLimit === 'max' ? maxBlockTokens(blocks) || undefined : options.tokenLimit;
  if (filter.since || filter.until) {
    const localDay = makeLocalTime(filter.timezone);
    blocks = blocks.filter((b) => {
      const day = localDay(Date.parse(b.startTime)).day;
      return (!filter.since || day >= filter.since) && (!filter.until || day <= filter.until);
    });
  }
  if (options.last !== undefined) blocks = lastBlocks(blocks, options.last);
  const hits = limitHits(db, filter.project);
  const out = blocks.map((b) => withLimits(b, limit, hits));
  return { blocks: options.order === 'desc' ? out.reverse() : out, limit };
}

/** The last `n` blocks with usage and the gap blocks between them (a gap before the first is left out). */
export function lastBlocks<B extends Block>(blocks: readonly B[], n: number): B[] {
  let seen = 0;
  let from = blocks.length;
  while (from > 0 && seen < n) {
    from--;
    if (!blocks[from]!.isGap) seen++;
  }
  return blocks.slice(from);
}

function withLimits(b: Block, limit: number | undefined, hits: readonly LimitHit[]): ReportBlock {
  const out: ReportBlock = { ...b, tokenLimitStatus: tokenLimitStatus(b, limit) };
  if (!b.isGap) {
    const start = Date.parse(b.startTime);
    const end = Date.parse(b.endTime);
    const hit = hits.find((h) => h.ts >= start && h.ts < end);
    if (hit) out.usageLimitResetTime = new Date(hit.resetsAt).toISOString();
  }
  return out;
}

/** As ccusage: only a block with a projection (the active one) gets a status, when a limit is known; "warning"
 * above 80 %. Against a limit of 0 (`-t 0`) there is no percentage (ccusage's is Infinity, null in its JSON). */
export function tokenLimitStatus(b: Block, limit: number | undefined) {
  if (!b.projection || limit === undefined) return undefined;
  const projectedUsage = b.projection.totalTokens;
  return {
    limit,
    projectedUsage,
    percentUsed: limit > 0 ? (projectedUsage / limit) * 100 : null,
    status: projectedUsage > limit ? 'exceeds' : projectedUsage > limit * 0.8 ? 'warning' : 'ok',
  };
}

/** ccusage's JSON: { blocks }; a burn rate only on the active block (ccusage computes none for the others). */
export function blocksJson(blocks: readonly ReportBlock[]): { blocks: unknown[] } {
  return { blocks: blocks.map((b) => (b.isActive ? b : { ...b, burnRate: null })) };
}
