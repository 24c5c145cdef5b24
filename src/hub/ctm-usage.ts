// The records a ctm agent sends a hub: one OTLP log record per indexed row (event `ctm.usage`: a response, or
// an advisor's part of one) and one per session whose Claude Code cost figure changed (`ctm.session_cost`),
// under the resource attributes that say which machine and user they come from. The attribute names are
// Claude Code's own where the meaning is the same (model, session.id, request_id, input_tokens, …) and
// `ctm.*` for the rest. The agent's encoder and the hub's reader share this one list.

export const USAGE_EVENT = 'ctm.usage';
export const SESSION_COST_EVENT = 'ctm.session_cost';

/** Resource attributes of an agent's requests. */
export const RESOURCE = {
  machine: 'ctm.machine',
  user: 'ctm.user',
  /** Rows the agent still has to send after this request (its backlog), for the hub's health. */
  pending: 'ctm.push.pending',
} as const;

/** The string attributes of a ctm.usage record and the row field each carries. */
export const USAGE_STRINGS = {
  key: 'ctm.key',
  messageId: 'ctm.message_id',
  requestId: 'request_id',
  advisorOf: 'ctm.advisor_of',
  model: 'model',
  sessionId: 'session.id',
  project: 'ctm.project',
  cwd: 'ctm.cwd',
  gitBranch: 'ctm.git_branch',
  version: 'app.version',
  agentId: 'ctm.agent_id',
  serviceTier: 'ctm.service_tier',
  speed: 'speed',
  geo: 'ctm.inference_geo',
} as const;

/** The integer attributes (token counts and request counts). */
export const USAGE_COUNTS = {
  input: 'input_tokens',
  output: 'output_tokens',
  cacheWrite5m: 'ctm.cache_write_5m_tokens',
  cacheWrite1h: 'ctm.cache_write_1h_tokens',
  cacheRead: 'cache_read_tokens',
  thinking: 'ctm.thinking_tokens',
  webSearchRequests: 'ctm.web_search_requests',
  webFetchRequests: 'ctm.web_fetch_requests',
} as const;

export const USAGE_FLAGS = { isSidechain: 'ctm.is_sidechain' } as const;

/** The cost the transcript line itself logged (costUSD, or a router's usage.cost), when it did. */
export const USAGE_LOGGED_COST = 'cost_usd';

export const SESSION_COST = {
  sessionId: 'session.id',
  totalCostUsd: 'cost_usd',
  modelUsage: 'ctm.model_usage',
} as const;
