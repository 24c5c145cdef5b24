-- limits.db, beside ctm.db: Claude Code's official usage limits and prompt-cache state as `ctm statusline`
-- saw them on stdin. A file of its own, so a status-line call never waits on the ingest writer's lock.
--
-- One row per distinct reading of a window (five_hour, seven_day, spend_limit, or a window Claude Code adds
-- later): a reading seen again, by any session, is the same row (the unique index), so concurrent calls
-- record it once. observed_at is when it was first seen. Within a window (one resets_at) use only grows, so
-- the current reading is the one with the latest reset and the highest use.
CREATE TABLE rate_limits (
  id INTEGER PRIMARY KEY,
  window_name TEXT NOT NULL,
  used_percentage REAL NOT NULL,
  resets_at INTEGER NOT NULL, -- epoch ms
  used_usd REAL, -- spend_limit only, when the gateway reports it
  limit_usd REAL,
  period TEXT, -- spend_limit: daily | weekly | monthly
  observed_at INTEGER NOT NULL, -- epoch ms
  session_id TEXT
);
CREATE UNIQUE INDEX rate_limits_reading
  ON rate_limits (window_name, resets_at, used_percentage, ifnull(used_usd, -1), ifnull(limit_usd, -1));
CREATE INDEX rate_limits_observed ON rate_limits (observed_at);

-- The main conversation's prompt-cache health per session: a row when a request was made (requests, misses,
-- expected rebuilds) or the cache went cold since the session's last row. -1 stands for "not reported", so
-- the unique index treats an unreported value as one value (NULLs would all be distinct).
CREATE TABLE prompt_cache (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL,
  requests INTEGER NOT NULL,
  misses INTEGER NOT NULL,
  expected_rebuilds INTEGER NOT NULL,
  warm INTEGER NOT NULL, -- 1, 0, -1
  caching_observed INTEGER,
  ttl TEXT,
  expires_at INTEGER,
  hit_ratio REAL,
  cache_write_tokens INTEGER,
  miss_recache_tokens INTEGER,
  last_miss_at INTEGER,
  last_miss_causes TEXT, -- JSON array of cause names
  observed_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX prompt_cache_state ON prompt_cache (session_id, requests, misses, expected_rebuilds, warm);
CREATE INDEX prompt_cache_observed ON prompt_cache (observed_at);
