// 5-hour billing blocks as ccusage defines them: a block starts at its first message floored to the UTC
// hour and lasts 5 h; a message more than 5 h after the block's start, or after a gap of more than 5 h,
// starts a new block; gaps become gap blocks. Active blocks get a burn rate and a projection to their end.
// Pure: `now` is passed in.
import type { TimelineRow } from '../db/queries/usage-timeline.ts';

export const BLOCK_MS = 5 * 60 * 60 * 1000;

export interface Block {
  id: string;
  startTime: string;
  endTime: string;
  actualEndTime: string | null;
  isActive: boolean;
  isGap: boolean;
  entries: number;
  tokenCounts: {
    inputTokens: number;
    outputTokens: number;
    cacheCreationInputTokens: number;
    cacheReadInputTokens: number;
  };
  totalTokens: number;
  costUSD: number;
  unpricedEntries: number;
  /** ctm's addition: web searches of the block's requests (ccusage neither counts nor prices them). */
  webSearchRequests: number;
  models: string[];
  burnRate: { tokensPerMinute: number; tokensPerMinuteForIndicator: number; costPerHour: number } | null;
  projection: { totalTokens: number; totalCost: number; remainingMinutes: number } | null;
}

function floorToHour(ts: number): number {
  return Math.floor(ts / 3_600_000) * 3_600_000;
}

function makeBlock(start: number, rows: readonly TimelineRow[], now: number): Block {
  const first = rows[0]!;
  const last = rows.at(-1)!;
  const tokenCounts = {
    inputTokens: 0,
    outputTokens: 0,
    cacheCreationInputTokens: 0,
    cacheReadInputTokens: 0,
  };
  let cost = 0;
  let unpriced = 0;
  let searches = 0;
  const firstUsed = new Map<string, number>();
  for (const r of rows) {
    tokenCounts.inputTokens += r.inputTokens;
    tokenCounts.outputTokens += r.outputTokens;
    tokenCounts.cacheCreationInputTokens += r.cacheCreationTokens;
    tokenCounts.cacheReadInputTokens += r.cacheReadTokens;
    searches += r.webSearchRequests ?? 0;
    if (r.cost === null) unpriced++;
    else cost += r.cost;
    if (!firstUsed.has(r.model)) firstUsed.set(r.model, r.ts);
  }
  const totalTokens =
    tokenCounts.inputTokens +
    tokenCounts.outputTokens +
    tokenCounts.cacheCreationInputTokens +
    tokenCounts.cacheReadInputTokens;
  const end = start + BLOCK_MS;
  const isActive = now - last.ts < BLOCK_MS && now < end;
  const minutes = (last.ts - first.ts) / 60_000;
  const burnRate =
    minutes > 0
      ? {
          tokensPerMinute: totalTokens / minutes,
          tokensPerMinuteForIndicator: (tokenCounts.inputTokens + tokenCounts.outputTokens) / minutes,
          costPerHour: (cost / minutes) * 60,
        }
      : null;
  let projection: Block['projection'] = null;
  if (isActive && burnRate) {
    // As ccusage: the whole minutes left, rounded first, are what the projection extends by.
    const remainingMinutes = Math.max(0, Math.round((end - now) / 60_000));
    projection = {
      totalTokens: Math.round(totalTokens + burnRate.tokensPerMinute * remainingMinutes),
      totalCost: Math.round((cost + (burnRate.costPerHour / 60) * remainingMinutes) * 100) / 100,
      remainingMinutes,
    };
  }
  return {
    id: new Date(start).toISOString(),
    startTime: new Date(start).toISOString(),
    endTime: new Date(end).toISOString(),
    actualEndTime: new Date(last.ts).toISOString(),
    isActive,
    isGap: false,
    entries: rows.length,
    tokenCounts,
    totalTokens,
    costUSD: cost,
    unpricedEntries: unpriced,
    webSearchRequests: searches,
    // In the order first used, as ccusage lists them (rows come in time order); models first used at the same
    // instant (an advisor's row and its response's) by name, so the order does not depend on arrival order.
    models: [...firstUsed]
      .sort(([a, at], [b, bt]) => at - bt || (a < b ? -1 : a > b ? 1 : 0))
      .map(([model]) => model),
    burnRate,
    projection,
  };
}

function gapBlock(lastTs: number, nextTs: number): Block {
  const start = lastTs + BLOCK_MS;
  return {
    id: `gap-${new Date(start).toISOString()}`,
    startTime: new Date(start).toISOString(),
    endTime: new Date(nextTs).toISOString(),
    actualEndTime: null,
    isActive: false,
    isGap: true,
    entries: 0,
    tokenCounts: { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 },
    totalTokens: 0,
    costUSD: 0,
    unpricedEntries: 0,
    webSearchRequests: 0,
    models: [],
    burnRate: null,
    projection: null,
  };
}

/** `rows` in time order; read once, so a stream of them (timelineRows) holds only the current block's. */
export function identifyBlocks(rows: Iterable<TimelineRow>, now: number): Block[] {
  const blocks: Block[] = [];
  let start: number | undefined;
  let current: TimelineRow[] = [];
  for (const row of rows) {
    if (start === undefined) {
      start = floorToHour(row.ts);
      current = [row];
      continue;
    }
    const last = current.at(-1)!;
    const sinceLast = row.ts - last.ts;
    if (row.ts - start > BLOCK_MS || sinceLast > BLOCK_MS) {
      blocks.push(makeBlock(start, current, now));
      if (sinceLast > BLOCK_MS) blocks.push(gapBlock(last.ts, row.ts));
      start = floorToHour(row.ts);
      current = [row];
    } else {
      current.push(row);
    }
  }
  if (start !== undefined) blocks.push(makeBlock(start, current, now));
  return blocks;
}

/** The token limit for "max": the largest total of any completed (not active, not gap) block. */
export function maxBlockTokens(blocks: readonly Block[]): number {
  return blocks.reduce((max, b) => (!b.isGap && !b.isActive && b.totalTokens > max ? b.totalTokens : max), 0);
}
