-- Claude Code's logs since September 2026 (2.1.97+): one response is one message.id (its content-block lines
-- repeat the final usage, with or without a requestId), responses carry advisor usage of another model,
-- US-only inference, web fetches and thinking tokens, and sessions end with Claude Code's own cost figures.
--
-- Messages are re-keyed by message id alone: copies of one id are folded to one, in SQL (a main-thread
-- copy before a sidechain replay, then the largest total, then the earliest stored), so the history of transcripts that are
-- gone is kept and counted once. Every file still present is read again from its start (the new columns
-- fill in; a re-read line replaces its own row).
ALTER TABLE messages ADD COLUMN inference_geo TEXT;
ALTER TABLE messages ADD COLUMN web_fetch_requests INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN thinking_tokens INTEGER NOT NULL DEFAULT 0;
-- An advisor row (usage.iterations[] of type advisor_message) holds the advisor model's own billed usage;
-- advisor_of is the message id of the response it was part of, NULL on a response's own row.
ALTER TABLE messages ADD COLUMN advisor_of TEXT;
CREATE INDEX messages_advisor_of ON messages (advisor_of) WHERE advisor_of IS NOT NULL;

DELETE FROM messages
WHERE rowid NOT IN (
  SELECT rowid FROM (
    SELECT rowid, row_number() OVER (
      PARTITION BY message_id ORDER BY superseded ASC, is_sidechain ASC, total_tokens DESC, rowid ASC
    ) AS copy
    FROM messages
  )
  WHERE copy = 1
);
UPDATE messages SET key = message_id, superseded = 0;

DELETE FROM usage_daily;
INSERT INTO usage_daily
SELECT day, model, project, count(*), sum(input_tokens), sum(output_tokens), sum(cache_write_5m_tokens),
  sum(cache_write_1h_tokens), sum(cache_read_tokens), sum(total_tokens),
  total(coalesce(cost_logged_usd, cost_calc_usd)), total(cost_calc_usd), total(cost_logged_usd),
  sum(coalesce(cost_logged_usd, cost_calc_usd) IS NULL), sum(cost_calc_usd IS NULL)
FROM messages WHERE superseded = 0
GROUP BY day, model, project;

-- Read every present file again from the start: size -1 never matches, a NULL head hash is no rewrite.
UPDATE files SET offset = 0, line_count = 0, size = -1, head_hash = NULL;

-- Prices are re-applied with the new rules (US-only inference, web searches, dated prices).
DELETE FROM meta WHERE key = 'pricing_hash';

-- Claude Code's own cumulative figures per session: the last cost-state line of the session wins. Never
-- added into totals; shown beside ctm's own figure.
CREATE TABLE session_costs (
  session_id TEXT PRIMARY KEY,
  file_id INTEGER NOT NULL REFERENCES files (id),
  line_no INTEGER NOT NULL,
  total_cost_usd REAL NOT NULL,
  -- {"<model>": {"inputTokens", "outputTokens", "cacheReadInputTokens", "cacheCreationInputTokens",
  --  "webSearchRequests", "costUSD"}} as Claude Code wrote it, model names without the [1m] suffix.
  model_usage_json TEXT NOT NULL
);

-- Synthetic rate_limit lines (apiErrorStatus 429): when a limit was hit and when it resets. Not usage.
CREATE TABLE limit_hits (
  key TEXT PRIMARY KEY,
  ts INTEGER NOT NULL,
  session_id TEXT NOT NULL,
  project TEXT NOT NULL,
  status TEXT,
  rate_limit_type TEXT,
  resets_at INTEGER,
  file_id INTEGER NOT NULL REFERENCES files (id),
  line_no INTEGER NOT NULL
);
CREATE INDEX limit_hits_ts ON limit_hits (ts);

-- Subagents described by their agent-<id>.meta.json.
CREATE TABLE subagents (
  session_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  agent_type TEXT,
  description TEXT,
  PRIMARY KEY (session_id, agent_id)
);

-- Web searches per rollup group, so reports show them without reading every message.
ALTER TABLE usage_daily ADD COLUMN web_search_requests INTEGER NOT NULL DEFAULT 0;
UPDATE usage_daily SET web_search_requests = (
  SELECT total(web_search_requests) FROM messages m
  WHERE m.day = usage_daily.day AND m.model = usage_daily.model AND m.project = usage_daily.project
    AND m.superseded = 0
);

-- stats-cache.json's format version per row (dailyModelTokensVersion): version 5 daily figures count all
-- four token kinds, earlier ones input and output only.
ALTER TABLE stats_cache_daily ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
