// The parts of a Claude Code transcript line that accounting reads. Everything else on the line (content,
// tool results, unknown new fields) is ignored, so new Claude Code versions don't break ingest. A token
// count or cost that is a number but not a plausible one (plausible.ts) makes the line `implausible_usage`.
import * as v from 'valibot';

import { IMPLAUSIBLE, isPlausibleCost, isPlausibleCount } from './plausible.ts';

export { IMPLAUSIBLE };

const count = v.pipe(v.number(), v.check(isPlausibleCount, IMPLAUSIBLE));
const cost = v.pipe(v.number(), v.check(isPlausibleCost, IMPLAUSIBLE));
const optCount = v.nullish(count);
const optString = v.nullish(v.string());

const cacheCreationSchema = v.nullish(
  v.object({ ephemeral_5m_input_tokens: optCount, ephemeral_1h_input_tokens: optCount }),
);

/** One entry of usage.iterations: `advisor_message` entries are an advisor model's own billed usage. */
export const iterationSchema = v.object({
  type: optString,
  model: optString,
  input_tokens: optCount,
  output_tokens: optCount,
  cache_creation_input_tokens: optCount,
  cache_read_input_tokens: optCount,
  cache_creation: cacheCreationSchema,
});

export const usageSchema = v.object({
  input_tokens: optCount,
  output_tokens: optCount,
  cache_creation_input_tokens: optCount,
  cache_read_input_tokens: optCount,
  cache_creation: cacheCreationSchema,
  server_tool_use: v.nullish(v.object({ web_search_requests: optCount, web_fetch_requests: optCount })),
  output_tokens_details: v.nullish(v.object({ thinking_tokens: optCount })),
  iterations: v.nullish(v.array(iterationSchema)),
  service_tier: optString,
  speed: optString,
  inference_geo: optString,
  /** A router's own cost for the line (OpenRouter and others write it). */
  cost: v.nullish(cost),
});

export const assistantLineSchema = v.object({
  type: v.literal('assistant'),
  timestamp: v.string(),
  sessionId: optString,
  cwd: optString,
  gitBranch: optString,
  version: optString,
  isSidechain: v.nullish(v.boolean()),
  agentId: optString,
  requestId: optString,
  costUSD: v.nullish(cost),
  message: v.object({
    id: v.pipe(v.string(), v.minLength(1)),
    model: v.pipe(v.string(), v.minLength(1)),
    usage: usageSchema,
  }),
});
export type AssistantLine = v.InferOutput<typeof assistantLineSchema>;
export type Iteration = v.InferOutput<typeof iterationSchema>;
