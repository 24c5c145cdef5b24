-- Files ctm has read, and how far. A transcript that disappears keeps its row (missing_since) and its messages.
CREATE TABLE files (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  claude_dir TEXT NOT NULL,
  project TEXT NOT NULL,
  dev INTEGER NOT NULL DEFAULT 0,
  ino INTEGER NOT NULL DEFAULT 0,
  size INTEGER NOT NULL DEFAULT 0,
  mtime_ms REAL NOT NULL DEFAULT 0,
  offset INTEGER NOT NULL DEFAULT 0,
  head_hash TEXT,
  line_count INTEGER NOT NULL DEFAULT 0,
  missing_since INTEGER,
  updated_at INTEGER NOT NULL DEFAULT 0
);

-- One row per API response, keyed by message.id + requestId, global across files and config dirs.
CREATE TABLE messages (
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
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cache_write_5m_tokens INTEGER NOT NULL,
  cache_write_1h_tokens INTEGER NOT NULL,
  cache_read_tokens INTEGER NOT NULL,
  total_tokens INTEGER NOT NULL,
  web_search_requests INTEGER NOT NULL DEFAULT 0,
  cost_logged_usd REAL,
  cost_calc_usd REAL,
  superseded INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX messages_message_id ON messages (message_id);
CREATE INDEX messages_day ON messages (day, model) WHERE superseded = 0;
CREATE INDEX messages_ts ON messages (ts) WHERE superseded = 0;
CREATE INDEX messages_session ON messages (session_id, ts) WHERE superseded = 0;
CREATE INDEX messages_project ON messages (project, day) WHERE superseded = 0;

-- What the reports count: sidechain replays of a parent's message are superseded by the parent.
CREATE VIEW usage AS
SELECT * FROM messages WHERE superseded = 0;

-- One row per pass that read or skipped something (the most recent 10,000), with skipped lines per reason.
CREATE TABLE ingest_runs (
  id INTEGER PRIMARY KEY,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  files_scanned INTEGER NOT NULL,
  files_read INTEGER NOT NULL,
  bytes_read INTEGER NOT NULL,
  lines INTEGER NOT NULL,
  usage_lines INTEGER NOT NULL,
  new_messages INTEGER NOT NULL,
  replaced_messages INTEGER NOT NULL,
  skipped_json TEXT NOT NULL
);

-- stats-cache.json, as Claude Code last wrote it, for cross-checking.
CREATE TABLE stats_cache_daily (
  claude_dir TEXT NOT NULL,
  date TEXT NOT NULL,
  model TEXT NOT NULL,
  tokens INTEGER NOT NULL,
  PRIMARY KEY (claude_dir, date, model)
);

CREATE TABLE stats_cache_activity (
  claude_dir TEXT NOT NULL,
  date TEXT NOT NULL,
  message_count INTEGER,
  session_count INTEGER,
  tool_call_count INTEGER,
  PRIMARY KEY (claude_dir, date)
);

CREATE TABLE stats_cache_models (
  claude_dir TEXT NOT NULL,
  model TEXT NOT NULL,
  input_tokens INTEGER,
  output_tokens INTEGER,
  cache_read_tokens INTEGER,
  cache_creation_tokens INTEGER,
  PRIMARY KEY (claude_dir, model)
);

CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
