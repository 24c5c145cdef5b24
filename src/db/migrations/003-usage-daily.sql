-- Sums per stored day, model and project, kept up by triggers inside the same transaction as the messages they
-- sum: a report over a year reads a few thousand rows here instead of every message. Only counted rows
-- (superseded = 0) are summed. One cost column per cost mode, since coalesce() does not distribute over sums;
-- unpriced_* count the rows that mode cannot price, so a missing price stays visible. A group whose last
-- message leaves is deleted, so a day with no messages never shows as a day of zeros.
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

CREATE TRIGGER usage_daily_insert AFTER INSERT ON messages WHEN new.superseded = 0
BEGIN
  INSERT INTO usage_daily VALUES (new.day, new.model, new.project, 1, new.input_tokens, new.output_tokens,
    new.cache_write_5m_tokens, new.cache_write_1h_tokens, new.cache_read_tokens, new.total_tokens,
    coalesce(new.cost_logged_usd, new.cost_calc_usd, 0), coalesce(new.cost_calc_usd, 0),
    coalesce(new.cost_logged_usd, 0), coalesce(new.cost_logged_usd, new.cost_calc_usd) IS NULL,
    new.cost_calc_usd IS NULL)
  ON CONFLICT (day, model, project) DO UPDATE SET
    messages = messages + 1,
    input_tokens = input_tokens + excluded.input_tokens,
    output_tokens = output_tokens + excluded.output_tokens,
    cache_write_5m_tokens = cache_write_5m_tokens + excluded.cache_write_5m_tokens,
    cache_write_1h_tokens = cache_write_1h_tokens + excluded.cache_write_1h_tokens,
    cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,
    total_tokens = total_tokens + excluded.total_tokens,
    cost_auto_usd = cost_auto_usd + excluded.cost_auto_usd,
    cost_calc_usd = cost_calc_usd + excluded.cost_calc_usd,
    cost_display_usd = cost_display_usd + excluded.cost_display_usd,
    unpriced_auto = unpriced_auto + excluded.unpriced_auto,
    unpriced_calc = unpriced_calc + excluded.unpriced_calc;
END;

CREATE TRIGGER usage_daily_delete AFTER DELETE ON messages WHEN old.superseded = 0
BEGIN
  UPDATE usage_daily SET
    messages = messages - 1,
    input_tokens = input_tokens - old.input_tokens,
    output_tokens = output_tokens - old.output_tokens,
    cache_write_5m_tokens = cache_write_5m_tokens - old.cache_write_5m_tokens,
    cache_write_1h_tokens = cache_write_1h_tokens - old.cache_write_1h_tokens,
    cache_read_tokens = cache_read_tokens - old.cache_read_tokens,
    total_tokens = total_tokens - old.total_tokens,
    cost_auto_usd = cost_auto_usd - coalesce(old.cost_logged_usd, old.cost_calc_usd, 0),
    cost_calc_usd = cost_calc_usd - coalesce(old.cost_calc_usd, 0),
    cost_display_usd = cost_display_usd - coalesce(old.cost_logged_usd, 0),
    unpriced_auto = unpriced_auto - (coalesce(old.cost_logged_usd, old.cost_calc_usd) IS NULL),
    unpriced_calc = unpriced_calc - (old.cost_calc_usd IS NULL)
  WHERE day = old.day AND model = old.model AND project = old.project;
  DELETE FROM usage_daily WHERE day = old.day AND model = old.model AND project = old.project AND messages = 0;
END;

-- An update is the old row leaving its group and the new row joining its own (often the same group).
CREATE TRIGGER usage_daily_update AFTER UPDATE OF day, model, project, superseded, input_tokens, output_tokens,
  cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, total_tokens, cost_logged_usd, cost_calc_usd
  ON messages
BEGIN
  UPDATE usage_daily SET
    messages = messages - 1,
    input_tokens = input_tokens - old.input_tokens,
    output_tokens = output_tokens - old.output_tokens,
    cache_write_5m_tokens = cache_write_5m_tokens - old.cache_write_5m_tokens,
    cache_write_1h_tokens = cache_write_1h_tokens - old.cache_write_1h_tokens,
    cache_read_tokens = cache_read_tokens - old.cache_read_tokens,
    total_tokens = total_tokens - old.total_tokens,
    cost_auto_usd = cost_auto_usd - coalesce(old.cost_logged_usd, old.cost_calc_usd, 0),
    cost_calc_usd = cost_calc_usd - coalesce(old.cost_calc_usd, 0),
    cost_display_usd = cost_display_usd - coalesce(old.cost_logged_usd, 0),
    unpriced_auto = unpriced_auto - (coalesce(old.cost_logged_usd, old.cost_calc_usd) IS NULL),
    unpriced_calc = unpriced_calc - (old.cost_calc_usd IS NULL)
  WHERE old.superseded = 0 AND day = old.day AND model = old.model AND project = old.project;
  DELETE FROM usage_daily
  WHERE old.superseded = 0 AND day = old.day AND model = old.model AND project = old.project AND messages = 0;
  INSERT INTO usage_daily
  SELECT new.day, new.model, new.project, 1, new.input_tokens, new.output_tokens, new.cache_write_5m_tokens,
    new.cache_write_1h_tokens, new.cache_read_tokens, new.total_tokens,
    coalesce(new.cost_logged_usd, new.cost_calc_usd, 0), coalesce(new.cost_calc_usd, 0),
    coalesce(new.cost_logged_usd, 0), coalesce(new.cost_logged_usd, new.cost_calc_usd) IS NULL,
    new.cost_calc_usd IS NULL
  WHERE new.superseded = 0
  ON CONFLICT (day, model, project) DO UPDATE SET
    messages = messages + 1,
    input_tokens = input_tokens + excluded.input_tokens,
    output_tokens = output_tokens + excluded.output_tokens,
    cache_write_5m_tokens = cache_write_5m_tokens + excluded.cache_write_5m_tokens,
    cache_write_1h_tokens = cache_write_1h_tokens + excluded.cache_write_1h_tokens,
    cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,
    total_tokens = total_tokens + excluded.total_tokens,
    cost_auto_usd = cost_auto_usd + excluded.cost_auto_usd,
    cost_calc_usd = cost_calc_usd + excluded.cost_calc_usd,
    cost_display_usd = cost_display_usd + excluded.cost_display_usd,
    unpriced_auto = unpriced_auto + excluded.unpriced_auto,
    unpriced_calc = unpriced_calc + excluded.unpriced_calc;
END;
