// All-time sums for the overview without scanning the whole history on every refresh: days before today are
// summed once per process and reused while their row count (an index-only count) is unchanged; today is
// summed fresh, and distinct sessions are counted from the session index.
import type { Db } from '../db/open.ts';
import type { SiteFilter } from '../db/queries/site-filter.ts';
import { usageTotals, type UsageTotals } from '../db/queries/usage-totals.ts';
import { rowsBeforeDay } from '../db/queries/rows-before-day.ts';
import { sessionCount } from '../db/queries/session-count.ts';

interface Memo {
  db: Db;
  key: string;
  before: string;
  rows: number;
  totals: UsageTotals;
}
let memo: Memo | undefined;

export function allTimeTotals(db: Db, filter: SiteFilter, today: string): UsageTotals {
  const key = `${filter.timezone}|${filter.costMode}|${filter.project ?? ''}`;
  const rows = rowsBeforeDay(db, filter.timezone, today);
  if (!memo || memo.db !== db || memo.key !== key || memo.before !== today || memo.rows !== rows) {
    memo = {
      db,
      key,
      before: today,
      rows,
      totals: usageTotals(db, { ...filter, fromDay: undefined, ...beforeDay(today) }),
    };
  }
  const recent = usageTotals(db, { ...filter, fromDay: today });
  const older = memo.totals;
  return {
    inputTokens: older.inputTokens + recent.inputTokens,
    outputTokens: older.outputTokens + recent.outputTokens,
    cacheWrite5mTokens: older.cacheWrite5mTokens + recent.cacheWrite5mTokens,
    cacheWrite1hTokens: older.cacheWrite1hTokens + recent.cacheWrite1hTokens,
    cacheReadTokens: older.cacheReadTokens + recent.cacheReadTokens,
    totalTokens: older.totalTokens + recent.totalTokens,
    cost: older.cost + recent.cost,
    messages: older.messages + recent.messages,
    unpricedMessages: older.unpricedMessages + recent.unpricedMessages,
    webSearchRequests: older.webSearchRequests + recent.webSearchRequests,
    sessions: sessionCount(db),
    firstTs: older.firstTs ?? recent.firstTs,
    lastTs: recent.lastTs ?? older.lastTs,
  };
}

function beforeDay(day: string): { toDay: string } {
  const d = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return { toDay: d };
}
