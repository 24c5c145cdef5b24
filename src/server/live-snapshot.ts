// GET /api/v1/live's body: today's totals (by kind, by model), the token limit (with or without an active
// block), the active 5-hour block with burn rate, projection, share of the token limit and its per-minute
// cumulative series, the last requests, the current sessions and data freshness. Pure over (db, options);
// `now` is passed in.
import type { CostMode } from '../db/day-bucket.ts';
import type { Db } from '../db/open.ts';
import { sumRows } from '../db/sum-columns.ts';
import { activeSessions } from '../db/queries/active-sessions.ts';
import { blockMinutes } from '../db/queries/block-minutes.ts';
import { recentRequests } from '../db/queries/recent-requests.ts';
import { todayByModel, type DayModelRow } from '../db/queries/today-by-model.ts';
import { BLOCK_MS } from '../report/identify-blocks.ts';
import { makeLocalTime } from '../time/local-time.ts';
import { findActiveBlock } from './find-active-block.ts';
import { lastLimitHit } from '../db/queries/last-limit-hit.ts';
import { projectLabel } from '../site/project-labels.ts';
import type { OfficialLimits } from './official-limits.ts';

export interface LiveOptions {
  timezone: string;
  costMode: CostMode;
  tokenLimit: number | 'max';
  maxBlockTokens: number;
  now: number;
  lastIngestAt: number | null;
  lastBuildAt: number | null;
  /** Claude Code's official limits as the status line recorded them (official-limits.ts). */
  officialLimits?: OfficialLimits | null;
}

export type Totals = Omit<DayModelRow, 'model'>;

function todaySums(rows: readonly DayModelRow[]): Totals {
  const t = sumRows(rows);
  t.cost = Math.round(t.cost * 1e6) / 1e6;
  return t;
}

export function todayTotals(db: Db, o: Pick<LiveOptions, 'timezone' | 'costMode' | 'now'>) {
  const day = makeLocalTime(o.timezone)(o.now).day;
  const byModel = todayByModel(db, day, o.costMode);
  return { day, ...todaySums(byModel), byModel };
}

/** The latest limit hit with its reset time; `active` while the reset is still ahead. */
function limitHitView(db: Db, now: number) {
  const hit = lastLimitHit(db);
  if (!hit) return null;
  return {
    at: new Date(hit.ts).toISOString(),
    sessionId: hit.sessionId,
    project: hit.project,
    status: hit.status,
    rateLimitType: hit.rateLimitType,
    resetsAt: hit.resetsAt === null ? null : new Date(hit.resetsAt).toISOString(),
    active: hit.resetsAt !== null && hit.resetsAt > now,
  };
}

export function liveSnapshot(db: Db, o: LiveOptions) {
  const block = findActiveBlock(db, o.costMode, o.now);
  const limit = o.tokenLimit === 'max' ? o.maxBlockTokens : o.tokenLimit;
  const tokenLimit = limit > 0 ? limit : null;
  let activeBlock = null;
  if (block) {
    const start = Date.parse(block.startTime);
    const end = Date.parse(block.endTime);
    const minutes = blockMinutes(db, start, end, o.costMode);
    const projected = block.projection?.totalTokens ?? block.totalTokens;
    activeBlock = {
      start: block.startTime,
      end: block.endTime,
      elapsedMinutes: Math.round((o.now - start) / 60_000),
      remainingMinutes: Math.max(0, Math.round((end - o.now) / 60_000)),
      entries: block.entries,
      tokens: block.tokenCounts,
      totalTokens: block.totalTokens,
      cost: Math.round(block.costUSD * 1e6) / 1e6,
      unpricedEntries: block.unpricedEntries,
      models: block.models,
      burnRate: block.burnRate,
      projection: block.projection,
      tokenLimit,
      percentOfLimit: limit > 0 ? Math.round((block.totalTokens / limit) * 1000) / 10 : null,
      projectedPercentOfLimit: limit > 0 ? Math.round((projected / limit) * 1000) / 10 : null,
      series: {
        ts: minutes.map((m) => m.minute),
        cumulativeTokens: minutes.map((m) => m.cumulativeTokens),
        cumulativeCost: minutes.map((m) => Math.round(m.cumulativeCost * 1e4) / 1e4),
      },
    };
  }
  const sessions = activeSessions(db, o.now - BLOCK_MS, o.costMode).map((s) => ({
    ...s,
    /** The project's display name, as the report pages and the CLI show it. */
    projectName: projectLabel(db, s.project).name,
    models: s.models.split(',').sort(),
    lastAt: new Date(s.lastTs).toISOString(),
  }));
  return {
    generatedAt: new Date(o.now).toISOString(),
    timezone: o.timezone,
    today: todayTotals(db, o),
    /** CTM_TOKEN_LIMIT, or for "max" the largest completed block; null while "max" has no completed block. */
    tokenLimit,
    tokenLimitSource: o.tokenLimit === 'max' ? ('max' as const) : ('CTM_TOKEN_LIMIT' as const),
    activeBlock,
    recentRequests: recentRequests(db, o.costMode, 10).map((r) => ({
      ...r,
      at: new Date(r.ts).toISOString(),
      isSidechain: r.isSidechain === 1,
    })),
    currentSessions: sessions,
    lastLimitHit: limitHitView(db, o.now),
    officialLimits: o.officialLimits ?? null,
    freshness: {
      lastIngestAt: o.lastIngestAt === null ? null : new Date(o.lastIngestAt).toISOString(),
      lastBuildAt: o.lastBuildAt === null ? null : new Date(o.lastBuildAt).toISOString(),
      ingestLagS: o.lastIngestAt === null ? null : Math.max(0, Math.round((o.now - o.lastIngestAt) / 1000)),
    },
  };
}

export type LiveSnapshot = ReturnType<typeof liveSnapshot>;
