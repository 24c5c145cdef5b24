// Status-line documents as Claude Code writes them, with every field its status-line documentation lists
// (session, model, workspace, cost, context_window, effort, thinking, rate_limits with five_hour, seven_day
// and spend_limit, prompt_cache, vim, agent, worktree), for tests and the benchmark.
export interface DocumentOptions {
  sessionId?: string;
  transcriptPath?: string;
  cwd?: string;
  modelId?: string;
  modelName?: string;
  costUsd?: number;
  contextPercent?: number | null;
  /** Epoch seconds; five_hour and seven_day are left out when undefined. */
  fiveHour?: { used: number; resetsAt: number };
  sevenDay?: { used: number; resetsAt: number };
  spendLimit?: {
    used: number;
    resetsAt: number;
    usedUsd?: number;
    limitUsd?: number;
    period?: string;
  };
  promptCache?: Record<string, unknown> | null;
}

export function statusDocument(o: DocumentOptions = {}): Record<string, unknown> {
  const cwd = o.cwd ?? '/home/dev/app';
  const doc: Record<string, unknown> = {
    hook_event_name: 'Status',
    session_id: o.sessionId ?? '5c1e7a1e-0000-4000-8000-000000000001',
    session_name: 'refactor the parser',
    prompt_id: '0b6f3e0a-8d0c-4a43-9a51-6c3f0e2d1b7a',
    transcript_path:
      o.transcriptPath ?? `/home/dev/.claude/projects/-home-dev-app/${o.sessionId ?? 'x'}.jsonl`,
    cwd,
    model: { id: o.modelId ?? 'claude-opus-4-5-20251101', display_name: o.modelName ?? 'Opus 4.5' },
    workspace: {
      current_dir: cwd,
      project_dir: cwd,
      added_dirs: [],
      repo: { host: 'github.com', owner: 'dev', name: 'app' },
    },
    version: '2.1.250',
    output_style: { name: 'default' },
    cost: {
      total_cost_usd: o.costUsd ?? 1.42,
      total_duration_ms: 1_800_000,
      total_api_duration_ms: 420_000,
      total_lines_added: 156,
      total_lines_removed: 23,
    },
    context_window: {
      total_input_tokens: 76_000,
      total_output_tokens: 1_200,
      context_window_size: 200_000,
      current_usage: {
        input_tokens: 12,
        output_tokens: 1_200,
        cache_creation_input_tokens: 4_000,
        cache_read_input_tokens: 72_000,
      },
      used_percentage: o.contextPercent === undefined ? 38 : o.contextPercent,
      remaining_percentage: o.contextPercent == null ? null : 100 - o.contextPercent,
    },
    exceeds_200k_tokens: false,
    effort: { level: 'high' },
    thinking: { enabled: true },
  };
  const limits: Record<string, unknown> = {};
  if (o.fiveHour) limits.five_hour = { used_percentage: o.fiveHour.used, resets_at: o.fiveHour.resetsAt };
  if (o.sevenDay) limits.seven_day = { used_percentage: o.sevenDay.used, resets_at: o.sevenDay.resetsAt };
  if (o.spendLimit) {
    limits.spend_limit = {
      used_percentage: o.spendLimit.used,
      resets_at: o.spendLimit.resetsAt,
      ...(o.spendLimit.usedUsd !== undefined
        ? { used_usd: o.spendLimit.usedUsd, limit_usd: o.spendLimit.limitUsd }
        : {}),
      ...(o.spendLimit.period ? { period: o.spendLimit.period } : {}),
    };
  }
  if (Object.keys(limits).length) doc.rate_limits = limits;
  if (o.promptCache !== null) {
    doc.prompt_cache = o.promptCache ?? {
      warm: true,
      caching_observed: true,
      ttl: '5m',
      expires_at: 1_796_320_000,
      requests: 14,
      misses: 1,
      expected_rebuilds: 0,
      hit_ratio: 0.93,
      cache_write_tokens: 48_000,
      miss_recache_tokens: 9_000,
      last_miss_at: 1_796_318_000,
      last_miss_cause: { causes: ['tools_changed'], tools_added: 2 },
      miss_causes: { tools_changed: 1 },
      recache_tokens_if_cold: 76_000,
    };
  }
  return doc;
}
