// Builders for realistic Claude Code transcript lines, used by tests and the benchmark's tree generator.
// Shapes follow what Claude Code writes: one line per content block, usage repeated on each.
export interface AssistantLineOptions {
  id: string;
  requestId?: string | null;
  timestamp: string;
  model?: string;
  sessionId?: string;
  cwd?: string;
  isSidechain?: boolean;
  agentId?: string;
  input?: number;
  output?: number;
  cacheWrite?: number;
  cacheWrite1h?: number;
  cacheRead?: number;
  speed?: string;
  costUSD?: number;
  webSearch?: number;
  text?: string;
  version?: string;
  gitBranch?: string;
  /** usage.inference_geo */
  geo?: string;
  /** usage.output_tokens_details.thinking_tokens */
  thinking?: number;
  webFetch?: number;
  /** usage.iterations[] (Claude Code 2.1.98+: the advisor's usage rides on the answering response). */
  iterations?: Record<string, unknown>[];
  /** Claude Code 2.1.97+ numbers the content-block lines of one response. */
  apiBlockIndex?: number;
  /** A router's own cost of the line (usage.cost). */
  routerCost?: number;
}

export function assistantLine(o: AssistantLineOptions): string {
  const usage: Record<string, unknown> = {
    input_tokens: o.input ?? 10,
    cache_creation_input_tokens: o.cacheWrite ?? 0,
    cache_read_input_tokens: o.cacheRead ?? 0,
    output_tokens: o.output ?? 5,
    service_tier: 'standard',
  };
  if (o.cacheWrite1h !== undefined) {
    usage.cache_creation = {
      ephemeral_5m_input_tokens: (o.cacheWrite ?? 0) - o.cacheWrite1h,
      ephemeral_1h_input_tokens: o.cacheWrite1h,
    };
  }
  if (o.speed) usage.speed = o.speed;
  if (o.geo) usage.inference_geo = o.geo;
  if (o.thinking !== undefined) usage.output_tokens_details = { thinking_tokens: o.thinking };
  if (o.webSearch || o.webFetch)
    usage.server_tool_use = { web_search_requests: o.webSearch ?? 0, web_fetch_requests: o.webFetch ?? 0 };
  if (o.iterations) usage.iterations = o.iterations;
  if (o.routerCost !== undefined) usage.cost = o.routerCost;
  const line: Record<string, unknown> = {
    parentUuid: null,
    isSidechain: o.isSidechain ?? false,
    userType: 'external',
    cwd: o.cwd ?? '/home/me/repo',
    sessionId: o.sessionId ?? 'session-1',
    version: o.version ?? '2.1.3',
    gitBranch: o.gitBranch ?? 'main',
    message: {
      id: o.id,
      type: 'message',
      role: 'assistant',
      model: o.model ?? 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: o.text ?? 'ok' }],
      stop_reason: null,
      stop_sequence: null,
      usage,
    },
    type: 'assistant',
    uuid: `uuid-${o.id}-${Math.abs(hash(o.timestamp + (o.requestId ?? '')))}`,
    timestamp: o.timestamp,
  };
  if (o.agentId) line.agentId = o.agentId;
  if (o.requestId !== null) line.requestId = o.requestId ?? `req_${o.id}`;
  if (o.costUSD !== undefined) line.costUSD = o.costUSD;
  if (o.apiBlockIndex !== undefined) line.apiBlockIndex = o.apiBlockIndex;
  return JSON.stringify(line);
}

/** An advisor's part of a response, as usage.iterations[] holds it. */
export function advisorIteration(model: string, input: number, output: number, cacheRead = 0) {
  return {
    type: 'advisor_message',
    model,
    input_tokens: input,
    output_tokens: output,
    cache_read_input_tokens: cacheRead,
  };
}

/** Claude Code's cumulative cost-state line of a session (no timestamp; the last one wins). */
export function costStateLine(
  sessionId: string,
  totalCostUSD: number,
  modelUsage: Record<string, unknown> = {},
): string {
  return JSON.stringify({ type: 'cost-state', sessionId, totalCostUSD, modelUsage });
}

/** The synthetic assistant line Claude Code writes when a rate limit is hit (not usage). */
export function limitHitLine(o: {
  sessionId: string;
  timestamp: string;
  resetsAt: number;
  rateLimitType?: string;
  uuid?: string;
}): string {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    type: 'assistant',
    sessionId: o.sessionId,
    timestamp: o.timestamp,
    uuid: o.uuid ?? `limit-${o.timestamp}`,
    error: 'rate_limit',
    isApiErrorMessage: true,
    apiErrorStatus: 429,
    quotaLimits: { status: 'rejected', resetsAt: o.resetsAt, rateLimitType: o.rateLimitType ?? 'five_hour' },
    message: {
      id: `synthetic-${o.timestamp}`,
      model: '<synthetic>',
      role: 'assistant',
      content: [{ type: 'text', text: 'Claude AI usage limit reached' }],
      usage: {
        input_tokens: 0,
        output_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    },
  });
}

export function userLine(sessionId: string, timestamp: string, text = 'hello'): string {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    userType: 'external',
    cwd: '/home/me/repo',
    sessionId,
    version: '2.1.3',
    type: 'user',
    message: { role: 'user', content: text },
    uuid: `u-${timestamp}`,
    timestamp,
  });
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}
