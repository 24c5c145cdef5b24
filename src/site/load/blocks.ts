// Data for `/blocks/`: every 5-hour block over time with the token limit line (CTM_TOKEN_LIMIT, "max" = the
// largest completed block), the active block, the most recent blocks as a table, and beside ctm's estimate
// Claude Code's official limits as `ctm statusline` recorded them (limits.db, the last 30 days).
import type { SiteContext } from '../site-context.ts';
import { blockHistory } from '../block-history.ts';
import { blocksOverTime } from '../../components/charts/blocks-over-time.ts';
import type { ChartSpec } from '../../components/charts/chart-spec.ts';
import type { Block } from '../../report/identify-blocks.ts';
import { formatDateTime } from '../../format/local-format.ts';
import { lastLimitHit, type LimitHitRow } from '../../db/queries/last-limit-hit.ts';
import { openLimitsReader } from '../../db/limits/open-limits.ts';
import { limitsOverTime } from '../../components/charts/limits-over-time.ts';
import { officialLimits, type OfficialWindow } from '../../server/official-limits.ts';

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
  /** Claude Code's official limits, null until a status-line call recorded some. */
  official: { windows: OfficialWindow[]; chart: ChartSpec | null } | null;
}

const OFFICIAL_DAYS = 30;

function loadOfficial(dataDir: string, now: number, tz: string): BlocksData['official'] {
  const db = openLimitsReader(dataDir);
  try {
    const o = officialLimits(db, now, OFFICIAL_DAYS);
    return o && { windows: o.windows, chart: limitsOverTime(o.series, tz, (ts) => formatDateTime(ts, tz)) };
  } finally {
    db?.close();
  }
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
    official: loadOfficial(config.dataDir, now, tz),
  };
}
