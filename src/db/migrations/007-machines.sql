-- Machines and users: a hub (`ctm start` with CTM_INGEST_TOKENS) stores the responses other machines send it
-- beside its own, each under the machine and user that reported it. The machine's own transcripts keep
-- machine = '' and user_name = '' (this machine, this user), so a single-machine index reads exactly as
-- before: every group below has one machine and one user.
ALTER TABLE messages ADD COLUMN machine TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN user_name TEXT NOT NULL DEFAULT '';
-- Reports of one remote machine or user find its rows here; the machine's own rows ('') are not indexed, so
-- a single-machine index pays nothing for it (a query names `machine <> ''` to use it).
CREATE INDEX messages_machine ON messages (machine, user_name, session_id) WHERE machine <> '';

-- The rollup gains both as group keys (appended, so `INSERT INTO usage_daily SELECT …` keeps its order).
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
  machine TEXT NOT NULL DEFAULT '',
  user_name TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (day, model, project, machine, user_name)
) WITHOUT ROWID;
INSERT INTO usage_daily
SELECT day, model, project, count(*), sum(input_tokens), sum(output_tokens), sum(cache_write_5m_tokens),
  sum(cache_write_1h_tokens), sum(cache_read_tokens), sum(total_tokens),
  total(coalesce(cost_logged_usd, cost_calc_usd)), total(cost_calc_usd), total(cost_logged_usd),
  sum(coalesce(cost_logged_usd, cost_calc_usd) IS NULL), sum(cost_calc_usd IS NULL), sum(web_search_requests),
  machine, user_name
FROM messages WHERE superseded = 0
GROUP BY day, model, project, machine, user_name;

-- What the hub knows of each machine that sent it records: for health (last seen, lag) and the machines page.
CREATE TABLE hub_machines (
  machine TEXT PRIMARY KEY,
  first_seen_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  -- The newest response time received from it (epoch ms), and what its agent said it still had to send.
  newest_ts INTEGER,
  pending INTEGER,
  accepted INTEGER NOT NULL DEFAULT 0,
  duplicates INTEGER NOT NULL DEFAULT 0,
  rejected INTEGER NOT NULL DEFAULT 0,
  last_user TEXT
) WITHOUT ROWID;

-- Other names the hub's rows are known by, for dedup across kinds of record: `r:<request id>` and
-- `f:<session>|<input>|<output>|<cache read>|<cache write>` (a response's token fingerprint) → the messages key
-- that counts it. Claude Code's telemetry carries the request id but no message id; a transcript line may
-- carry the message id but no request id.
CREATE TABLE hub_aliases (
  alias TEXT PRIMARY KEY,
  key TEXT NOT NULL
) WITHOUT ROWID;

-- An agent's place in its own index per hub it pushes to: every counted row with a rowid above after_rowid
-- has been accepted there. A row INSERT OR REPLACE rewrites gets a new rowid above every other (SQLite picks
-- max + 1 before it removes the old row), so "above the cursor" is exactly "new or updated". A deleted row
-- can let a later insert reuse a rowid at or below the cursor: the trigger lowers rewind_rowid below it, and
-- the next push starts from there (a row sent twice counts once at the hub).
CREATE TABLE push_cursors (
  url TEXT PRIMARY KEY,
  after_rowid INTEGER NOT NULL DEFAULT 0,
  rewind_rowid INTEGER,
  pushed INTEGER NOT NULL DEFAULT 0,
  last_push_at INTEGER,
  last_error TEXT
);
CREATE TRIGGER messages_push_rewind AFTER DELETE ON messages
BEGIN
  UPDATE push_cursors SET rewind_rowid = min(coalesce(rewind_rowid, old.rowid - 1), old.rowid - 1)
  WHERE after_rowid >= old.rowid;
END;

-- Claude Code's own session cost figures an agent has sent, so a changed one is sent again.
CREATE TABLE push_session_costs (
  url TEXT NOT NULL,
  session_id TEXT NOT NULL,
  total_cost_usd REAL NOT NULL,
  PRIMARY KEY (url, session_id)
) WITHOUT ROWID;
