// Data for `/sessions/<id>/`: metadata (project, span, branch, version), totals, tokens per request over time,
// models and subagents. Usage metadata only: the index has no prompt or response text.
import type { SiteContext } from '../site-context.ts';
import { sessionList, type SessionListRow } from '../../db/queries/session-list.ts';
import { sessionRequests } from '../../db/queries/session-requests.ts';
import { projectLabel, type ProjectNamed } from '../project-labels.ts';
import type { BreakdownRow } from '../../db/queries/usage-breakdown.ts';
import { requestsOverTime } from '../../components/charts/requests-over-time.ts';
import type { ChartSpec } from '../../components/charts/chart-spec.ts';
import { formatDateTime, localDay } from '../../format/local-format.ts';
import { rollupRequests } from '../rollup-requests.ts';
import { sessionClaudeCost } from '../../db/queries/session-claude-cost.ts';
import { sessionSubagentTypes, type SubagentType } from '../../db/queries/session-subagent-types.ts';

export interface SessionData {
  tz: string;
  session: SessionListRow & ProjectNamed;
  chart: ChartSpec;
  models: BreakdownRow[];
  agents: BreakdownRow[];
  /** Subagent types from their meta.json, by agent id. */
  agentTypes: Map<string, SubagentType>;
  /** Claude Code's own cost of the session (its last cost-state line), or null. */
  reportedCost: number | null;
  /** Output tokens that were thinking (a part of output, never added to it). */
  thinkingTokens: number;
  webFetchRequests: number;
}

/** `rows` is the build's list of every session (BuildLists); by default the session's row is read now. */
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
  const agentTypes = sessionSubagentTypes(db, sessionId);
  const project = projectLabel(db, session.project);
  return {
    tz,
    session: { ...session, projectName: project.name, projectPath: project.path },
    chart: requestsOverTime(requests, tz, (ts) => formatDateTime(ts, tz)),
    models: rollupRequests(requests, 'model', day),
    // A subagent's row is labelled with its type (meta.json), its key staying the agent id.
    agents: rollupRequests(requests, 'agent', day).map((a) => ({
      ...a,
      label: agentTypes.get(a.key)?.agentType ?? a.label,
    })),
    agentTypes,
    reportedCost: sessionClaudeCost(db, sessionId),
    thinkingTokens: requests.reduce((n, r) => n + r.thinkingTokens, 0),
    webFetchRequests: requests.reduce((n, r) => n + r.webFetchRequests, 0),
  };
}
