-- Sums per stored day, model and project, kept up by the ingest inside the same transaction as the messages
-- they sum (ingest/daily-rollup.ts; a trigger per row made a cold ingest 20–30 % slower): a report over a year
-- reads a few thousand rows here instead of every message. Only counted rows (superseded = 0) are summed. One
-- cost column per cost mode, since coalesce() does not distribute over sums; unpriced_* count the rows that
-- mode cannot price, so a missing price stays visible. A group whose last message leaves is deleted, so a day
-- with no messages never shows as a day of zeros.
CREATE TABLE usage_daily (
  day TEXT NOT NULL,
  model TEXT NOT NULL,
  project TEXT NOT NULL,
  messages INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cache_write_5m_tokens INTEGER NOT NULL,
  cache_write_1h_tokens INTEGER NOT NULL,
  cache_read_tokens INTEGER NOT NULL,
  total_tokens INTEGER NOT NULL,
  cost_auto_usd REAL NOT NULL,
  cost_calc_usd REAL NOT NULL,
  cost_display_usd REAL NOT NULL,
  unpriced_auto INTEGER NOT NULL,
  unpriced_calc INTEGER NOT NULL,
  PRIMARY KEY (day, model, project)
) WITHOUT ROWID;

INSERT INTO usage_daily
SELECT day, model, project, count(*), sum(input_tokens), sum(output_tokens), sum(cache_write_5m_tokens),
  sum(cache_write_1h_tokens), sum(cache_read_tokens), sum(total_tokens),
  total(coalesce(cost_logged_usd, cost_calc_usd)), total(cost_calc_usd), total(cost_logged_usd),
  sum(coalesce(cost_logged_usd, cost_calc_usd) IS NULL), sum(cost_calc_usd IS NULL)
FROM messages WHERE superseded = 0
GROUP BY day, model, project;
