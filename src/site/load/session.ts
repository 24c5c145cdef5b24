// Data for `/sessions/<id>/`: metadata (project, span, branch, version), totals, tokens per request over time,
// models and subagents. Usage metadata only: the index has no prompt or response text.
import type { SiteContext } from '../site-context.ts';
import { sessionList, type SessionListRow } from '../../db/queries/session-list.ts';
import { sessionRequests } from '../../db/queries/session-requests.ts';
import type { BreakdownRow } from '../../db/queries/usage-breakdown.ts';
import { requestsOverTime } from '../../components/charts/requests-over-time.ts';
import type { ChartSpec } from '../../components/charts/chart-spec.ts';
import { formatDateTime, localDay } from '../local-format.ts';
import { rollupRequests } from '../rollup-requests.ts';

export interface SessionData {
  tz: string;
  session: SessionListRow;
  chart: ChartSpec;
  models: BreakdownRow[];
  agents: BreakdownRow[];
}

/** `rows` is the build's list of every session when prerendering; by default the session's row is read now. */
export function loadSession(
  ctx: SiteContext,
  sessionId: string,
  rows?: ReadonlyMap<string, SessionListRow>,
): SessionData | undefined {
  const { db, filter } = ctx;
  const session = rows ? rows.get(sessionId) : sessionList(db, { ...filter, sessionId })[0];
  if (!session) return undefined;
  const tz = filter.timezone;
  const requests = sessionRequests(db, sessionId, filter.costMode);
  const day = (ts: number) => localDay(ts, tz);
  return {
    tz,
    session,
    chart: requestsOverTime(requests, tz, (ts) => formatDateTime(ts, tz)),
    models: rollupRequests(requests, 'model', day),
    agents: rollupRequests(requests, 'agent', day),
  };
}
