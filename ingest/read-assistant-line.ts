// Validates an assistant line's accounting fields by hand, with exactly the rules of assistantLineSchema
// (usage-line-schema.ts, the readable spec; a test checks both agree). This runs once per usage line, so it
// avoids the schema library's per-field overhead. Any missing required field makes the line
// `missing_field`, otherwise any wrong one makes it `wrong_type`; unknown fields are ignored.
import type { AssistantLine } from './usage-line-schema.ts';

type Problem = 'missing_field' | 'wrong_type';

interface Check {
  missing: boolean;
  wrong: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function nullishString(c: Check, v: unknown): string | null | undefined {
  if (v === undefined || v === null || typeof v === 'string') return v;
  c.wrong = true;
  return undefined;
}

function nullishCount(c: Check, v: unknown): number | null | undefined {
  if (v === undefined || v === null || isCount(v)) return v;
  c.wrong = true;
  return undefined;
}

function requiredString(c: Check, v: unknown): string {
  if (typeof v === 'string' && v.length > 0) return v;
  if (v === undefined) c.missing = true;
  else c.wrong = true;
  return '';
}

function optionalCount(c: Check, v: unknown): number {
  if (v === undefined) return 0;
  if (isCount(v)) return v;
  c.wrong = true;
  return 0;
}

function nullishObject(c: Check, v: unknown): Record<string, unknown> | null | undefined {
  if (v === undefined || v === null || isObject(v)) return v;
  c.wrong = true;
  return undefined;
}

export function readAssistantLine(json: Record<string, unknown>): AssistantLine | Problem {
  const c: Check = { missing: false, wrong: false };
  if (json.type !== 'assistant') {
    if (json.type === undefined) c.missing = true;
    else c.wrong = true;
  }
  let timestamp = '';
  if (typeof json.timestamp === 'string') timestamp = json.timestamp;
  else if (json.timestamp === undefined) c.missing = true;
  else c.wrong = true;
  const sessionId = nullishString(c, json.sessionId);
  const cwd = nullishString(c, json.cwd);
  const gitBranch = nullishString(c, json.gitBranch);
  const version = nullishString(c, json.version);
  const agentId = nullishString(c, json.agentId);
  const requestId = nullishString(c, json.requestId);
  let isSidechain: boolean | null | undefined = undefined;
  const side = json.isSidechain;
  if (side === undefined || side === null || typeof side === 'boolean') isSidechain = side;
  else c.wrong = true;
  let costUSD: number | null | undefined = undefined;
  const cost = json.costUSD;
  if (cost === undefined || cost === null || (typeof cost === 'number' && !Number.isNaN(cost) && cost >= 0))
    costUSD = cost;
  else c.wrong = true;

  const message = json.message;
  let id = '';
  let model = '';
  let usage: AssistantLine['message']['usage'] | undefined;
  if (isObject(message)) {
    id = requiredString(c, message.id);
    model = requiredString(c, message.model);
    const u = message.usage;
    if (isObject(u)) {
      const split = nullishObject(c, u.cache_creation);
      const tools = nullishObject(c, u.server_tool_use);
      usage = {
        input_tokens: optionalCount(c, u.input_tokens),
        output_tokens: optionalCount(c, u.output_tokens),
        cache_creation_input_tokens: nullishCount(c, u.cache_creation_input_tokens),
        cache_read_input_tokens: nullishCount(c, u.cache_read_input_tokens),
        cache_creation: isObject(split)
          ? {
              ephemeral_5m_input_tokens: nullishCount(c, split.ephemeral_5m_input_tokens),
              ephemeral_1h_input_tokens: nullishCount(c, split.ephemeral_1h_input_tokens),
            }
          : split,
        server_tool_use: isObject(tools)
          ? { web_search_requests: nullishCount(c, tools.web_search_requests) }
          : tools,
        service_tier: nullishString(c, u.service_tier),
        speed: nullishString(c, u.speed),
      };
    } else if (u === undefined) c.missing = true;
    else c.wrong = true;
  } else if (message === undefined) c.missing = true;
  else c.wrong = true;

  if (c.missing) return 'missing_field';
  if (c.wrong || !usage) return 'wrong_type';
  return {
    type: 'assistant',
    timestamp,
    sessionId,
    cwd,
    gitBranch,
    version,
    isSidechain,
    agentId,
    requestId,
    costUSD,
    message: { id, model, usage },
  };
}
