// The status line's own figures: the session's cost, today's, and the active 5-hour block (cost, time left,
// burn rate), from the index plus the transcript's not-yet-indexed tail, so they include the response that
// has just been written. A tail message the index already holds (a resumed session's copy) counts once.
// Local days come from the caller's clock (local-clock.ts).
import { costExpr, type CostMode } from '../db/day-bucket.ts';
import type { Db } from '../db/open.ts';
import type { TimelineRow } from '../db/queries/usage-timeline.ts';
import { todayByModel } from '../db/queries/today-by-model.ts';
import type { PriceTable } from '../pricing/pricing-schema.ts';
import { findActiveBlock } from '../server/find-active-block.ts';
import type { UsageEvent } from '../../ingest/parse-line.ts';
import type { TranscriptTail } from './transcript-tail.ts';
import { dayOf, type LocalClock } from './local-clock.ts';

const { statSync } = process.getBuiltinModule('node:fs');

/** USD of the priced requests (those without a price in this cost mode add nothing). */
export interface Money {
  cost: number;
}

export interface UsageFigures {
  /** Null when the session has nothing in the index nor in its transcript. */
  session: (Money & { partial: boolean }) | null;
  today: Money;
  block: {
    cost: number;
    remainingMinutes: number;
    tokensPerMinute: number | null;
  } | null;
  transcriptMissing: boolean;
}

export interface FigureOptions {
  costMode: CostMode;
  now: number;
  deadline: number;
  /** The price table, loaded only when a transcript request needs a calculated cost. */
  pricing: () => Promise<PriceTable | null>;
  clock: LocalClock;
}

function fileOffset(db: Db, path: string): number {
  const row = db.prepare('SELECT offset FROM files WHERE path = ?').get(path) as
    { offset: number } | undefined;
  return row?.offset ?? 0;
}

/** The transcript's unindexed bytes, parsed; the parser is loaded only when there are some (most calls). */
async function tailOf(db: Db, path: string, deadline: number): Promise<TranscriptTail> {
  const offset = fileOffset(db, path);
  let size: number;
  try {
    const stat = statSync(path);
    // A directory or a FIFO is no transcript: as good as missing (opening or reading one fails or waits).
    if (!stat.isFile()) return { events: [], partial: false, missing: true };
    size = stat.size;
  } catch {
    return { events: [], partial: false, missing: true };
  }
  if (size <= offset) return { events: [], partial: false, missing: false };
  const { readTranscriptTail } = await import('./transcript-tail.ts');
  return readTranscriptTail(path, offset, deadline);
}

/** The tail's events the index does not hold yet. */
function notIndexed(db: Db, events: readonly UsageEvent[]): UsageEvent[] {
  if (events.length === 0) return [];
  const known = new Set(
    db
      .prepare('SELECT key FROM messages WHERE key IN (SELECT value FROM json_each(?))')
      .pluck()
      .all(JSON.stringify(events.map((e) => e.key))) as string[],
  );
  return events.filter((e) => !known.has(e.key));
}

async function costOf(events: readonly UsageEvent[], o: FigureOptions): Promise<(number | null)[]> {
  const needsTable =
    o.costMode === 'calculate' || (o.costMode === 'auto' && events.some((e) => e.costLoggedUsd === null));
  const table = needsTable && events.length ? await o.pricing() : null;
  const { requestCost } = table ? await import('../pricing/request-cost.ts') : { requestCost: null };
  return events.map((e) => {
    if (o.costMode === 'display') return e.costLoggedUsd ?? 0;
    if (o.costMode === 'auto' && e.costLoggedUsd !== null) return e.costLoggedUsd;
    return table && requestCost ? requestCost(table, e) : null;
  });
}

const round = (n: number): number => Math.round(n * 1e9) / 1e9;

export async function usageFigures(
  db: Db,
  input: { sessionId: string | null; transcriptPath: string | null },
  o: FigureOptions,
): Promise<UsageFigures> {
  const tail = input.transcriptPath ? await tailOf(db, input.transcriptPath, o.deadline) : null;
  const fresh = notIndexed(db, tail?.events ?? []);
  const costs = await costOf(fresh, o);
  const add = (m: Money, i: number): void => {
    const c = costs[i];
    if (c !== null && c !== undefined) m.cost += c;
  };

  let session: UsageFigures['session'] = null;
  if (input.sessionId) {
    const row = db
      .prepare(`SELECT count(*) AS n, total(${costExpr(o.costMode)}) AS cost FROM usage WHERE session_id = ?`)
      .get(input.sessionId) as { n: number; cost: number };
    if (row.n > 0 || fresh.length > 0) {
      session = { cost: row.cost, partial: tail?.partial ?? false };
      fresh.forEach((_, i) => add(session!, i));
      session.cost = round(session.cost);
    }
  }

  const localDay = (ts: number) => dayOf(o.clock(ts));
  const day = localDay(o.now);
  const today: Money = { cost: 0 };
  for (const r of todayByModel(db, day, o.costMode)) today.cost += r.cost;
  fresh.forEach((e, i) => localDay(e.ts) === day && add(today, i));
  today.cost = round(today.cost);

  const rows: TimelineRow[] = fresh.map((e, i) => ({
    ts: e.ts,
    model: e.model,
    inputTokens: e.input,
    outputTokens: e.output,
    cacheCreationTokens: e.cacheWrite5m + e.cacheWrite1h,
    cacheReadTokens: e.cacheRead,
    cost: costs[i] ?? null,
    webSearchRequests: e.webSearchRequests,
  }));
  const b = findActiveBlock(db, o.costMode, o.now, rows);
  return {
    session,
    today,
    block: b
      ? {
          cost: round(b.costUSD),
          remainingMinutes: Math.max(0, Math.round((Date.parse(b.endTime) - o.now) / 60_000)),
          tokensPerMinute: b.burnRate?.tokensPerMinute ?? null,
        }
      : null,
    transcriptMissing: tail?.missing ?? false,
  };
}
