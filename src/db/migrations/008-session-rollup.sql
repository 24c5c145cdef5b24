-- usage_daily becomes the one store of sums every reader uses (the site's build and refresh, the live routes,
-- the CLI): its groups gain the session, so per-session, per-project and all-time figures are sums of groups,
-- and each group keeps its first and last request time and a working directory (the least, which is the
-- project's root where Claude Code also ran in a subdirectory), so listings need no scan of the messages.
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
  session_id TEXT NOT NULL,
  first_ts INTEGER NOT NULL,
  last_ts INTEGER NOT NULL,
  cwd TEXT,
  PRIMARY KEY (day, model, project, machine, user_name, session_id)
) WITHOUT ROWID;
CREATE INDEX usage_daily_project ON usage_daily (project, day);
CREATE INDEX usage_daily_session ON usage_daily (session_id);
INSERT INTO usage_daily
SELECT day, model, project, count(*), sum(input_tokens), sum(output_tokens), sum(cache_write_5m_tokens),
  sum(cache_write_1h_tokens), sum(cache_read_tokens), sum(total_tokens),
  total(coalesce(cost_logged_usd, cost_calc_usd)), total(cost_calc_usd), total(cost_logged_usd),
  sum(coalesce(cost_logged_usd, cost_calc_usd) IS NULL), sum(cost_calc_usd IS NULL), sum(web_search_requests),
  machine, user_name, session_id, min(ts), max(ts), min(cwd)
FROM messages WHERE superseded = 0
GROUP BY day, model, project, machine, user_name, session_id;
