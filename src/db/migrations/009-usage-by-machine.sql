-- usage_by_machine and usage_by_day: usage_daily summed over projects and sessions, a row per day, machine,
-- user and model, and per day, machine and user. A hub of 10 machines x a heavy year (3 million responses) has
-- 66,000 usage_daily groups (one per session, model and day), which GET /api/v1/usage?groupBy=machine over a
-- year summed in 55-70 ms a request on 2 cores; usage_by_machine holds 10,900 rows for it (days x machines x
-- models) and usage_by_day 3,650, summed in 2-6 ms. Both are derived from usage_daily alone and kept by the
-- triggers below in the same statement as each change of usage_daily, whoever writes it (an ingest commit, a
-- hub batch, the rebuild after settings change or by `ctm check`), so no writer knows of them and they cannot
-- lag a commit. The triggers fire once per usage_daily group a commit touches, not per message. No CHECK:
-- their costs are REAL sums the ingest also subtracts from (see 006); a group whose last message leaves is
-- deleted.

CREATE TABLE usage_by_machine (
  day TEXT NOT NULL,
  machine TEXT NOT NULL,
  user_name TEXT NOT NULL,
  model TEXT NOT NULL,
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
  PRIMARY KEY (day, machine, user_name, model)
) WITHOUT ROWID;
INSERT INTO usage_by_machine
SELECT day, machine, user_name, model, sum(messages), sum(input_tokens), sum(output_tokens), sum(cache_write_5m_tokens), sum(cache_write_1h_tokens), sum(cache_read_tokens), sum(total_tokens), total(cost_auto_usd), total(cost_calc_usd), total(cost_display_usd), sum(unpriced_auto), sum(unpriced_calc), sum(web_search_requests)
FROM usage_daily GROUP BY day, machine, user_name, model;

CREATE TABLE usage_by_day (
  day TEXT NOT NULL,
  machine TEXT NOT NULL,
  user_name TEXT NOT NULL,
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
  PRIMARY KEY (day, machine, user_name)
) WITHOUT ROWID;
INSERT INTO usage_by_day
SELECT day, machine, user_name, sum(messages), sum(input_tokens), sum(output_tokens), sum(cache_write_5m_tokens), sum(cache_write_1h_tokens), sum(cache_read_tokens), sum(total_tokens), total(cost_auto_usd), total(cost_calc_usd), total(cost_display_usd), sum(unpriced_auto), sum(unpriced_calc), sum(web_search_requests)
FROM usage_daily GROUP BY day, machine, user_name;

CREATE TRIGGER usage_daily_insert AFTER INSERT ON usage_daily BEGIN
  INSERT INTO usage_by_machine VALUES (new.day, new.machine, new.user_name, new.model, new.messages, new.input_tokens, new.output_tokens, new.cache_write_5m_tokens, new.cache_write_1h_tokens, new.cache_read_tokens, new.total_tokens, new.cost_auto_usd, new.cost_calc_usd, new.cost_display_usd, new.unpriced_auto, new.unpriced_calc, new.web_search_requests)
  ON CONFLICT (day, machine, user_name, model) DO UPDATE SET
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
  INSERT INTO usage_by_day VALUES (new.day, new.machine, new.user_name, new.messages, new.input_tokens, new.output_tokens, new.cache_write_5m_tokens, new.cache_write_1h_tokens, new.cache_read_tokens, new.total_tokens, new.cost_auto_usd, new.cost_calc_usd, new.cost_display_usd, new.unpriced_auto, new.unpriced_calc, new.web_search_requests)
  ON CONFLICT (day, machine, user_name) DO UPDATE SET
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

CREATE TRIGGER usage_daily_delete AFTER DELETE ON usage_daily BEGIN
  UPDATE usage_by_machine SET
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
  WHERE day = old.day AND machine = old.machine AND user_name = old.user_name AND model = old.model;
  DELETE FROM usage_by_machine WHERE day = old.day AND machine = old.machine AND user_name = old.user_name AND model = old.model AND messages <= 0;
  UPDATE usage_by_day SET
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
  WHERE day = old.day AND machine = old.machine AND user_name = old.user_name;
  DELETE FROM usage_by_day WHERE day = old.day AND machine = old.machine AND user_name = old.user_name AND messages <= 0;
END;

-- Only a change of the sums or keys counts (the span and working directory a group's re-read sets do not): the
-- old sums leave their group, then the new ones join theirs (the same one unless a key changed).
CREATE TRIGGER usage_daily_update AFTER UPDATE OF day, model, machine, user_name, messages, input_tokens, output_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, total_tokens, cost_auto_usd, cost_calc_usd, cost_display_usd, unpriced_auto, unpriced_calc, web_search_requests ON usage_daily BEGIN
  UPDATE usage_by_machine SET
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
  WHERE day = old.day AND machine = old.machine AND user_name = old.user_name AND model = old.model;
  DELETE FROM usage_by_machine WHERE day = old.day AND machine = old.machine AND user_name = old.user_name AND model = old.model AND messages <= 0;
  INSERT INTO usage_by_machine VALUES (new.day, new.machine, new.user_name, new.model, new.messages, new.input_tokens, new.output_tokens, new.cache_write_5m_tokens, new.cache_write_1h_tokens, new.cache_read_tokens, new.total_tokens, new.cost_auto_usd, new.cost_calc_usd, new.cost_display_usd, new.unpriced_auto, new.unpriced_calc, new.web_search_requests)
  ON CONFLICT (day, machine, user_name, model) DO UPDATE SET
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
  UPDATE usage_by_day SET
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
  WHERE day = old.day AND machine = old.machine AND user_name = old.user_name;
  DELETE FROM usage_by_day WHERE day = old.day AND machine = old.machine AND user_name = old.user_name AND messages <= 0;
  INSERT INTO usage_by_day VALUES (new.day, new.machine, new.user_name, new.messages, new.input_tokens, new.output_tokens, new.cache_write_5m_tokens, new.cache_write_1h_tokens, new.cache_read_tokens, new.total_tokens, new.cost_auto_usd, new.cost_calc_usd, new.cost_display_usd, new.unpriced_auto, new.unpriced_calc, new.web_search_requests)
  ON CONFLICT (day, machine, user_name) DO UPDATE SET
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
