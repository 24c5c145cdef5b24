-- The daily, weekly and monthly reports read only these columns: with them in the day index, a year of
-- messages is summed from the index alone instead of one table lookup per row (the largest part of
-- `ctm report daily` on a big index). ts is included for reports in another timezone than the stored one.
DROP INDEX messages_day;
CREATE INDEX messages_day ON messages (day, model, input_tokens, output_tokens, cache_write_5m_tokens,
  cache_write_1h_tokens, cache_read_tokens, total_tokens, cost_logged_usd, cost_calc_usd, ts)
  WHERE superseded = 0;
