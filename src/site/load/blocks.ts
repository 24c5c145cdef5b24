// Data for `/blocks/`: every 5-hour block over time with the token limit line (CTM_TOKEN_LIMIT, "max" = the
// largest completed block), the active block, and the most recent blocks as a table.
import type { SiteContext } from '../site-context.ts';
import { blockHistory } from '../block-history.ts';
import { blocksOverTime } from '../../components/charts/blocks-over-time.ts';
import type { ChartSpec } from '../../components/charts/chart-spec.ts';
import type { Block } from '../../report/identify-blocks.ts';
import { formatDateTime } from '../local-format.ts';
import { lastLimitHit, type LimitHitRow } from '../../db/queries/last-limit-hit.ts';

export const RECENT_BLOCKS = 200;

export interface BlocksData {
  tz: string;
  now: number;
  limit: number;
  limitSource: 'max' | 'CTM_TOKEN_LIMIT';
  active: Block | undefined;
  recent: Block[];
  count: number;
  chart: ChartSpec | null;
  /** The latest rate limit Claude Code hit, or null. */
  limitHit: LimitHitRow | null;
}

export function loadBlocks(ctx: SiteContext): BlocksData {
  const { db, filter, now, config } = ctx;
  const tz = filter.timezone;
  const history = blockHistory(db, filter.costMode, now, config.tokenLimit);
  const real = history.blocks.filter((b) => !b.isGap);
  return {
    tz,
    now,
    limit: history.limit,
    limitSource: config.tokenLimit === 'max' ? 'max' : 'CTM_TOKEN_LIMIT',
    active: history.active,
    recent: real.slice(-RECENT_BLOCKS).reverse(),
    count: real.length,
    chart: real.length ? blocksOverTime(real, history.limit, tz, (ts) => formatDateTime(ts, tz)) : null,
    limitHit: lastLimitHit(db),
  };
}
