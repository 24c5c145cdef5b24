-- No token count or cost can be negative: CHECK constraints on messages and usage_daily, so a write that
-- would store one fails and `PRAGMA integrity_check` (`ctm check`) names a stored one, such as a sign bit
-- flipped on disk. SQLite adds a CHECK only by rebuilding the table: each is made anew with the same columns
-- in the same order (messages keep their rowids), then its indexes and the usage view as 001–005 left them
-- (messages_day now also covers web_search_requests, which every sum selects).
--
-- usage_daily's costs are REAL sums the ingest also subtracts from (a copy replaced by a larger one, a group
-- whose last message leaves): the floating-point residue of a group summed back to nothing falls below zero
-- about half the time, by 1e-17 to 1e-11, and must not fail the commit. They are held to >= -1e-6 instead:
-- a sum above a millionth of a dollar with its sign flipped fails that, a smaller one is left to `ctm check`'s
-- comparison with the messages. Token and message counts are integers and held to >= 0 exactly.

-- A row stored with a negative figure (an older ctm took whatever number a line held) is dropped and its file
-- read again from the start, where the line is now skipped and counted as implausible_usage.
UPDATE files SET offset = 0, line_count = 0, size = -1, head_hash = NULL
WHERE id IN (
  SELECT file_id FROM messages
  WHERE input_tokens < 0 OR output_tokens < 0 OR cache_write_5m_tokens < 0 OR cache_write_1h_tokens < 0
    OR cache_read_tokens < 0 OR total_tokens < 0 OR web_search_requests < 0 OR web_fetch_requests < 0
    OR thinking_tokens < 0 OR cost_logged_usd < 0 OR cost_calc_usd < 0
);
DELETE FROM messages
WHERE input_tokens < 0 OR output_tokens < 0 OR cache_write_5m_tokens < 0 OR cache_write_1h_tokens < 0
  OR cache_read_tokens < 0 OR total_tokens < 0 OR web_search_requests < 0 OR web_fetch_requests < 0
  OR thinking_tokens < 0 OR cost_logged_usd < 0 OR cost_calc_usd < 0;

DROP VIEW usage;

CREATE TABLE messages_new (
  key TEXT PRIMARY KEY,
  message_id TEXT NOT NULL,
  request_id TEXT,
  file_id INTEGER NOT NULL REFERENCES files (id),
  line_no INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  day TEXT NOT NULL,
  hour INTEGER NOT NULL,
  model TEXT NOT NULL,
  session_id TEXT NOT NULL,
  project TEXT NOT NULL,
  cwd TEXT,
  git_branch TEXT,
  version TEXT,
  is_sidechain INTEGER NOT NULL DEFAULT 0,
  agent_id TEXT,
  service_tier TEXT,
  speed TEXT,
  input_tokens INTEGER NOT NULL CHECK (input_tokens >= 0),
  output_tokens INTEGER NOT NULL CHECK (output_tokens >= 0),
  cache_write_5m_tokens INTEGER NOT NULL CHECK (cache_write_5m_tokens >= 0),
  cache_write_1h_tokens INTEGER NOT NULL CHECK (cache_write_1h_tokens >= 0),
  cache_read_tokens INTEGER NOT NULL CHECK (cache_read_tokens >= 0),
  total_tokens INTEGER NOT NULL CHECK (total_tokens >= 0),
  web_search_requests INTEGER NOT NULL DEFAULT 0 CHECK (web_search_requests >= 0),
  cost_logged_usd REAL CHECK (cost_logged_usd >= 0),
  cost_calc_usd REAL CHECK (cost_calc_usd >= 0),
  superseded INTEGER NOT NULL DEFAULT 0,
  inference_geo TEXT,
  web_fetch_requests INTEGER NOT NULL DEFAULT 0 CHECK (web_fetch_requests >= 0),
  thinking_tokens INTEGER NOT NULL DEFAULT 0 CHECK (thinking_tokens >= 0),
  advisor_of TEXT
);
INSERT INTO messages_new (rowid, key, message_id, request_id, file_id, line_no, ts, day, hour, model,
  session_id, project, cwd, git_branch, version, is_sidechain, agent_id, service_tier, speed, input_tokens,
  output_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, total_tokens,
  web_search_requests, cost_logged_usd, cost_calc_usd, superseded, inference_geo, web_fetch_requests,
  thinking_tokens, advisor_of)
SELECT rowid, key, message_id, request_id, file_id, line_no, ts, day, hour, model,
  session_id, project, cwd, git_branch, version, is_sidechain, agent_id, service_tier, speed, input_tokens,
  output_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, total_tokens,
  web_search_requests, cost_logged_usd, cost_calc_usd, superseded, inference_geo, web_fetch_requests,
  thinking_tokens, advisor_of
FROM messages ORDER BY rowid;
DROP TABLE messages;
ALTER TABLE messages_new RENAME TO messages;

CREATE INDEX messages_message_id ON messages (message_id);
CREATE INDEX messages_day ON messages (day, model, input_tokens, output_tokens, cache_write_5m_tokens,
  cache_write_1h_tokens, cache_read_tokens, total_tokens, cost_logged_usd, cost_calc_usd, ts, session_id,
  project, cwd, agent_id, hour, web_search_requests)
  WHERE superseded = 0;
CREATE INDEX messages_ts ON messages (ts) WHERE superseded = 0;
CREATE INDEX messages_session ON messages (session_id, ts) WHERE superseded = 0;
CREATE INDEX messages_project ON messages (project, day) WHERE superseded = 0;
CREATE INDEX messages_advisor_of ON messages (advisor_of) WHERE advisor_of IS NOT NULL;

CREATE VIEW usage AS
SELECT * FROM messages WHERE superseded = 0;

-- The rollup is summed afresh from the messages rather than copied: a stored group that had gone wrong
-- (or negative) would fail its new CHECK, and the sums are the messages' by definition.
DROP TABLE usage_daily;
CREATE TABLE usage_daily (
  day TEXT NOT NULL,
  model TEXT NOT NULL,
  project TEXT NOT NULL,
  messages INTEGER NOT NULL CHECK (messages >= 0),
  input_tokens INTEGER NOT NULL CHECK (input_tokens >= 0),
  output_tokens INTEGER NOT NULL CHECK (output_tokens >= 0),
  cache_write_5m_tokens INTEGER NOT NULL CHECK (cache_write_5m_tokens >= 0),
  cache_write_1h_tokens INTEGER NOT NULL CHECK (cache_write_1h_tokens >= 0),
  cache_read_tokens INTEGER NOT NULL CHECK (cache_read_tokens >= 0),
  total_tokens INTEGER NOT NULL CHECK (total_tokens >= 0),
  cost_auto_usd REAL NOT NULL CHECK (cost_auto_usd >= -1e-6),
  cost_calc_usd REAL NOT NULL CHECK (cost_calc_usd >= -1e-6),
  cost_display_usd REAL NOT NULL CHECK (cost_display_usd >= -1e-6),
  unpriced_auto INTEGER NOT NULL CHECK (unpriced_auto >= 0),
  unpriced_calc INTEGER NOT NULL CHECK (unpriced_calc >= 0),
  web_search_requests INTEGER NOT NULL DEFAULT 0 CHECK (web_search_requests >= 0),
  PRIMARY KEY (day, model, project)
) WITHOUT ROWID;
INSERT INTO usage_daily
SELECT day, model, project, count(*), sum(input_tokens), sum(output_tokens), sum(cache_write_5m_tokens),
  sum(cache_write_1h_tokens), sum(cache_read_tokens), sum(total_tokens),
  total(coalesce(cost_logged_usd, cost_calc_usd)), total(cost_calc_usd), total(cost_logged_usd),
  sum(coalesce(cost_logged_usd, cost_calc_usd) IS NULL), sum(cost_calc_usd IS NULL), sum(web_search_requests)
FROM messages WHERE superseded = 0
GROUP BY day, model, project;
