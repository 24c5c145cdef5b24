-- usage_by_project: usage_daily summed over models, machines, users and sessions, per project by day (grain
-- 'day', period YYYY-MM-DD) and by month (grain 'month', period YYYY-MM). GET /api/v1/usage?groupBy=project over a
-- year summed usage_daily's 66,000 groups on a hub of 10 machines x a heavy year (40-50 ms a request on 2 cores,
-- p99 0.7-1.7 s with 10 requests in flight); it now sums the months wholly inside the range (600 rows a year)
-- and the days at its ends (of 15,500 a year), about 2 ms. One project's days are read from it too. Kept by the
-- triggers below in the same statement as each change of usage_daily, as usage_by_day is (migration 009); a
-- filter by machine or user still reads usage_daily, which keeps them.

CREATE TABLE usage_by_project (
  grain TEXT NOT NULL CHECK (grain IN ('day', 'month')),
  period TEXT NOT NULL,
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
  web_search_requests INTEGER NOT NULL,
  PRIMARY KEY (grain, period, project)
) WITHOUT ROWID;

INSERT INTO usage_by_project
SELECT g.grain, iif(g.grain = 'day', d.day, substr(d.day, 1, 7)), d.project, sum(d.messages), sum(d.input_tokens), sum(d.output_tokens), sum(d.cache_write_5m_tokens), sum(d.cache_write_1h_tokens), sum(d.cache_read_tokens), sum(d.total_tokens), total(d.cost_auto_usd), total(d.cost_calc_usd), total(d.cost_display_usd), sum(d.unpriced_auto), sum(d.unpriced_calc), sum(d.web_search_requests)
FROM usage_daily AS d, (SELECT 'day' AS grain UNION ALL SELECT 'month') AS g
GROUP BY 1, 2, 3;

CREATE TRIGGER usage_daily_project_insert AFTER INSERT ON usage_daily BEGIN
  INSERT INTO usage_by_project
  SELECT grain, iif(grain = 'day', new.day, substr(new.day, 1, 7)), new.project, new.messages, new.input_tokens, new.output_tokens, new.cache_write_5m_tokens, new.cache_write_1h_tokens, new.cache_read_tokens, new.total_tokens, new.cost_auto_usd, new.cost_calc_usd, new.cost_display_usd, new.unpriced_auto, new.unpriced_calc, new.web_search_requests
  FROM (SELECT 'day' AS grain UNION ALL SELECT 'month') WHERE true
  ON CONFLICT (grain, period, project) DO UPDATE SET
    messages = messages + excluded.messages,
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
    unpriced_calc = unpriced_calc + excluded.unpriced_calc,
    web_search_requests = web_search_requests + excluded.web_search_requests;
END;

CREATE TRIGGER usage_daily_project_delete AFTER DELETE ON usage_daily BEGIN
  UPDATE usage_by_project SET
    messages = messages - old.messages,
    input_tokens = input_tokens - old.input_tokens,
    output_tokens = output_tokens - old.output_tokens,
    cache_write_5m_tokens = cache_write_5m_tokens - old.cache_write_5m_tokens,
    cache_write_1h_tokens = cache_write_1h_tokens - old.cache_write_1h_tokens,
    cache_read_tokens = cache_read_tokens - old.cache_read_tokens,
    total_tokens = total_tokens - old.total_tokens,
    cost_auto_usd = cost_auto_usd - old.cost_auto_usd,
    cost_calc_usd = cost_calc_usd - old.cost_calc_usd,
    cost_display_usd = cost_display_usd - old.cost_display_usd,
    unpriced_auto = unpriced_auto - old.unpriced_auto,
    unpriced_calc = unpriced_calc - old.unpriced_calc,
    web_search_requests = web_search_requests - old.web_search_requests
  WHERE project = old.project AND ((grain = 'day' AND period = old.day) OR (grain = 'month' AND period = substr(old.day, 1, 7)));
  DELETE FROM usage_by_project WHERE project = old.project AND ((grain = 'day' AND period = old.day) OR (grain = 'month' AND period = substr(old.day, 1, 7))) AND messages <= 0;
END;

-- The rollup changes a group's sums and span, never its day or project (a rebuild deletes and inserts): so an
-- update moves sums within the rows the group's insert made, which exist while it has messages (usage_daily
-- keeps no group of none). A change of either key is refused rather than summed wrong.
CREATE TRIGGER usage_daily_project_keys BEFORE UPDATE OF day, project ON usage_daily
WHEN new.day IS NOT old.day OR new.project IS NOT old.project BEGIN
  SELECT RAISE(ABORT, 'usage_daily: a group''s day and project do not change');
END;

CREATE TRIGGER usage_daily_project_update AFTER UPDATE OF messages, input_tokens, output_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, total_tokens, cost_auto_usd, cost_calc_usd, cost_display_usd, unpriced_auto, unpriced_calc, web_search_requests ON usage_daily BEGIN
  UPDATE usage_by_project SET
    messages = messages + new.messages - old.messages,
    input_tokens = input_tokens + new.input_tokens - old.input_tokens,
    output_tokens = output_tokens + new.output_tokens - old.output_tokens,
    cache_write_5m_tokens = cache_write_5m_tokens + new.cache_write_5m_tokens - old.cache_write_5m_tokens,
    cache_write_1h_tokens = cache_write_1h_tokens + new.cache_write_1h_tokens - old.cache_write_1h_tokens,
    cache_read_tokens = cache_read_tokens + new.cache_read_tokens - old.cache_read_tokens,
    total_tokens = total_tokens + new.total_tokens - old.total_tokens,
    cost_auto_usd = cost_auto_usd + new.cost_auto_usd - old.cost_auto_usd,
    cost_calc_usd = cost_calc_usd + new.cost_calc_usd - old.cost_calc_usd,
    cost_display_usd = cost_display_usd + new.cost_display_usd - old.cost_display_usd,
    unpriced_auto = unpriced_auto + new.unpriced_auto - old.unpriced_auto,
    unpriced_calc = unpriced_calc + new.unpriced_calc - old.unpriced_calc,
    web_search_requests = web_search_requests + new.web_search_requests - old.web_search_requests
  WHERE project = new.project AND ((grain = 'day' AND period = new.day) OR (grain = 'month' AND period = substr(new.day, 1, 7)));
  DELETE FROM usage_by_project WHERE project = new.project AND ((grain = 'day' AND period = new.day) OR (grain = 'month' AND period = substr(new.day, 1, 7))) AND messages <= 0;
END;
