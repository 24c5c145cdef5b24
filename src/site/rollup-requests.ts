// A session's per-model and per-thread sums from its request rows. A session has tens to a few thousand
// requests that its page loads anyway; summing them here saves the page two more queries, which matters
// when a build renders thousands of session pages.
import type { SessionRequestRow } from '../db/queries/session-requests.ts';
import type { BreakdownRow } from '../db/queries/usage-breakdown.ts';
import { ZERO_SUMS } from '../db/sum-columns.ts';

export function rollupRequests(
  rows: readonly SessionRequestRow[],
  by: 'model' | 'agent',
  day: (ts: number) => string,
): BreakdownRow[] {
  const groups = new Map<string, BreakdownRow>();
  for (const r of rows) {
    const key = by === 'model' ? r.model : (r.agentId ?? '');
    let g = groups.get(key);
    if (!g) {
      g = {
        key,
        label: key,
        sessions: 1,
        firstDay: day(r.ts),
        lastDay: day(r.ts),
        lastTs: r.ts,
        ...ZERO_SUMS,
      };
      groups.set(key, g);
    }
    g.inputTokens += r.inputTokens;
    g.outputTokens += r.outputTokens;
    g.cacheWrite5mTokens += r.cacheWrite5mTokens;
    g.cacheWrite1hTokens += r.cacheWrite1hTokens;
    g.cacheReadTokens += r.cacheReadTokens;
    g.totalTokens += r.totalTokens;
    g.webSearchRequests += r.webSearchRequests;
    g.messages++;
    if (r.cost === null) g.unpricedMessages++;
    else g.cost += r.cost;
    if (r.ts > g.lastTs) g.lastTs = r.ts;
  }
  for (const g of groups.values()) g.lastDay = day(g.lastTs);
  return [...groups.values()].sort(
    (a, b) => b.cost - a.cost || b.totalTokens - a.totalTokens || (a.key < b.key ? -1 : 1),
  );
}
