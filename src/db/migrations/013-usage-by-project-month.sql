-- usage_by_project_month: usage_by_project's sums by month. GET /api/v1/usage?groupBy=project over a year read
-- usage_by_project's 15,500 rows on the 3M hub (10 ms a request; p99 170-179 ms with 10 requests in flight);
-- the months wholly inside a range come from here (600 rows a year), only the days at its ends from
-- usage_by_project: 2 ms, the same sums. Kept by triggers on usage_daily like usage_by_project (migration 012).

CREATE TABLE usage_by_project_month (
  month TEXT NOT NULL,
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
  PRIMARY KEY (month, project)
) WITHOUT ROWID;

INSERT INTO usage_by_project_month
SELECT substr(day, 1, 7), project, sum(messages), sum(input_tokens), sum(output_tokens), sum(cache_write_5m_tokens), sum(cache_write_1h_tokens), sum(cache_read_tokens), sum(total_tokens), total(cost_auto_usd), total(cost_calc_usd), total(cost_display_usd), sum(unpriced_auto), sum(unpriced_calc), sum(web_search_requests)
FROM usage_daily GROUP BY substr(day, 1, 7), project;

CREATE TRIGGER usage_daily_project_month_insert AFTER INSERT ON usage_daily BEGIN
  INSERT INTO usage_by_project_month VALUES (substr(new.day, 1, 7), new.project, new.messages, new.input_tokens, new.output_tokens, new.cache_write_5m_tokens, new.cache_write_1h_tokens, new.cache_read_tokens, new.total_tokens, new.cost_auto_usd, new.cost_calc_usd, new.cost_display_usd, new.unpriced_auto, new.unpriced_calc, new.web_search_requests)
  ON CONFLICT (month, project) DO UPDATE SET
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

CREATE TRIGGER usage_daily_project_month_delete AFTER DELETE ON usage_daily BEGIN
  UPDATE usage_by_project_month SET
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
  WHERE month = substr(old.day, 1, 7) AND project = old.project;
  DELETE FROM usage_by_project_month WHERE month = substr(old.day, 1, 7) AND project = old.project AND messages <= 0;
END;

CREATE TRIGGER usage_daily_project_month_update AFTER UPDATE OF day, project, messages, input_tokens, output_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, total_tokens, cost_auto_usd, cost_calc_usd, cost_display_usd, unpriced_auto, unpriced_calc, web_search_requests ON usage_daily BEGIN
  UPDATE usage_by_project_month SET
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
  WHERE month = substr(old.day, 1, 7) AND project = old.project;
  DELETE FROM usage_by_project_month WHERE month = substr(old.day, 1, 7) AND project = old.project AND messages <= 0;
  INSERT INTO usage_by_project_month VALUES (substr(new.day, 1, 7), new.project, new.messages, new.input_tokens, new.output_tokens, new.cache_write_5m_tokens, new.cache_write_1h_tokens, new.cache_read_tokens, new.total_tokens, new.cost_auto_usd, new.cost_calc_usd, new.cost_display_usd, new.unpriced_auto, new.unpriced_calc, new.web_search_requests)
  ON CONFLICT (month, project) DO UPDATE SET
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
