// Validates an assistant line's accounting fields by hand, with exactly the rules of assistantLineSchema
// (usage-line-schema.ts, the readable spec; a test checks both agree). This runs once per usage line, so it
// avoids the schema library's per-field overhead. Any missing required field makes the line
// `missing_field`, otherwise any wrong one makes it `wrong_type`, otherwise any number out of bounds makes it
// `implausible_usage`; unknown fields are ignored.
import { isPlausibleCost, isPlausibleCount } from './plausible.ts';
import type { AssistantLine, Iteration } from './usage-line-schema.ts';

type Problem = 'missing_field' | 'wrong_type' | 'implausible_usage';

interface Check {
  missing: boolean;
  wrong: boolean;
  implausible: boolean;
}

type Split = NonNullable<AssistantLine['message']['usage']['cache_creation']>;

// As the schema library does: an array passes as an object (its named fields are then missing).
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function nullishString(c: Check, v: unknown): string | null | undefined {
  if (v === undefined || v === null || typeof v === 'string') return v;
  c.wrong = true;
  return undefined;
}

function nullishNumber(c: Check, v: unknown, plausible: (n: number) => boolean): number | null | undefined {
  if (v === undefined || v === null) return v;
  if (typeof v !== 'number') {
    c.wrong = true;
    return undefined;
  }
  if (!plausible(v)) c.implausible = true;
  return v;
}

const nullishCount = (c: Check, v: unknown) => nullishNumber(c, v, isPlausibleCount);

function requiredString(c: Check, v: unknown): string {
  if (typeof v === 'string' && v.length > 0) return v;
  if (v === undefined) c.missing = true;
  else c.wrong = true;
  return '';
}

function nullishObject(c: Check, v: unknown): Record<string, unknown> | null | undefined {
  if (v === undefined || v === null || isObject(v)) return v;
  c.wrong = true;
  return undefined;
}

function cacheSplit(c: Check, v: unknown): Split | null | undefined {
  const split = nullishObject(c, v);
  return isObject(split)
    ? {
        ephemeral_5m_input_tokens: nullishCount(c, split.ephemeral_5m_input_tokens),
        ephemeral_1h_input_tokens: nullishCount(c, split.ephemeral_1h_input_tokens),
      }
    : split;
}

function iterations(c: Check, v: unknown): Iteration[] | null | undefined {
  if (v === undefined || v === null) return v;
  if (!Array.isArray(v)) {
    c.wrong = true;
    return undefined;
  }
  const out: Iteration[] = [];
  for (const it of v) {
    if (!isObject(it)) {
      if (it === undefined) c.missing = true;
      else c.wrong = true;
      continue;
    }
    out.push({
      type: nullishString(c, it.type),
      model: nullishString(c, it.model),
      input_tokens: nullishCount(c, it.input_tokens),
      output_tokens: nullishCount(c, it.output_tokens),
      cache_creation_input_tokens: nullishCount(c, it.cache_creation_input_tokens),
      cache_read_input_tokens: nullishCount(c, it.cache_read_input_tokens),
      cache_creation: cacheSplit(c, it.cache_creation),
    });
  }
  return out;
}

export function readAssistantLine(json: Record<string, unknown>): AssistantLine | Problem {
  const c: Check = { missing: false, wrong: false, implausible: false };
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
  const costUSD = nullishNumber(c, json.costUSD, isPlausibleCost);

  const message = json.message;
  let id = '';
  let model = '';
  let usage: AssistantLine['message']['usage'] | undefined;
  if (isObject(message)) {
    id = requiredString(c, message.id);
    model = requiredString(c, message.model);
    const u = message.usage;
    if (isObject(u)) {
      const tools = nullishObject(c, u.server_tool_use);
      const details = nullishObject(c, u.output_tokens_details);
      usage = {
        input_tokens: nullishCount(c, u.input_tokens),
        output_tokens: nullishCount(c, u.output_tokens),
        cache_creation_input_tokens: nullishCount(c, u.cache_creation_input_tokens),
        cache_read_input_tokens: nullishCount(c, u.cache_read_input_tokens),
        cache_creation: cacheSplit(c, u.cache_creation),
        server_tool_use: isObject(tools)
          ? {
              web_search_requests: nullishCount(c, tools.web_search_requests),
              web_fetch_requests: nullishCount(c, tools.web_fetch_requests),
            }
          : tools,
        output_tokens_details: isObject(details)
          ? { thinking_tokens: nullishCount(c, details.thinking_tokens) }
          : details,
        iterations: iterations(c, u.iterations),
        service_tier: nullishString(c, u.service_tier),
        speed: nullishString(c, u.speed),
        inference_geo: nullishString(c, u.inference_geo),
        cost: nullishNumber(c, u.cost, isPlausibleCost),
      };
    } else if (u === undefined) c.missing = true;
    else c.wrong = true;
  } else if (message === undefined) c.missing = true;
  else c.wrong = true;

  if (c.missing) return 'missing_field';
  if (c.wrong || !usage) return 'wrong_type';
  if (c.implausible) return 'implausible_usage';
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
