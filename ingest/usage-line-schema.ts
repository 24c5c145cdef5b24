// The parts of a Claude Code transcript line that accounting reads. Everything else on the line (content,
// tool results, unknown new fields) is ignored, so new Claude Code versions don't break ingest.
import * as v from 'valibot';

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const optString = v.nullish(v.string());

export const usageSchema = v.object({
  input_tokens: v.optional(count, 0),
  output_tokens: v.optional(count, 0),
  cache_creation_input_tokens: v.nullish(count),
  cache_read_input_tokens: v.nullish(count),
  cache_creation: v.nullish(
    v.object({
      ephemeral_5m_input_tokens: v.nullish(count),
      ephemeral_1h_input_tokens: v.nullish(count),
    }),
  ),
  server_tool_use: v.nullish(v.object({ web_search_requests: v.nullish(count) })),
  service_tier: optString,
  speed: optString,
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
  costUSD: v.nullish(v.pipe(v.number(), v.minValue(0))),
  message: v.object({
    id: v.pipe(v.string(), v.minLength(1)),
    model: v.pipe(v.string(), v.minLength(1)),
    usage: usageSchema,
  }),
});
export type AssistantLine = v.InferOutput<typeof assistantLineSchema>;
