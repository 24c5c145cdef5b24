// A build's summary of the index: sums per local day, session, model and project, one temp table per
// connection, made by one scan of the messages the first time a build process asks for it. The report queries
// of a build read it instead of every message (a year of heavy use: ~300k messages, ~15k groups), so each
// listing, breakdown and total scans groups, not messages. A snapshot: only build processes use it
// (SiteFilter.summary), never the live server, whose pages must follow every commit.
import type { Db } from '../open.ts';
import { dayBucketCached } from './prepare-cached.ts';

export const SUMMARY_TABLE = 'temp.usage_summary';

const made = new WeakMap<Db, string>();

/** Makes the summary for the timezone (once per connection); a second timezone on one connection is refused. */
export function ensureUsageSummary(db: Db, timezone: string): void {
  const current = made.get(db);
  if (current === timezone) return;
  if (current !== undefined) throw new Error(`usage summary already made for ${current}, not ${timezone}`);
  const day = dayBucketCached(db, timezone);
  // A reader's connection is query_only (and opened read-only, so the index itself stays unwritable): the temp
  // table needs query_only off while it is made.
  const queryOnly = db.pragma('query_only', { simple: true }) === 1;
  if (queryOnly) db.pragma('query_only = OFF');
  try {
    makeSummary(db, day);
  } finally {
    if (queryOnly) db.pragma('query_only = ON');
  }
  made.set(db, timezone);
}

function makeSummary(db: Db, day: string): void {
  // label: a working directory of the group (from its first or latest message, as in usage-breakdown.ts).
  db.exec(`
    CREATE TEMP TABLE usage_summary AS
    SELECT ${day} AS day, session_id, model, project, count(*) AS messages,
           sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
           sum(cache_write_5m_tokens) AS cache_write_5m_tokens, sum(cache_write_1h_tokens) AS cache_write_1h_tokens,
           sum(cache_read_tokens) AS cache_read_tokens, sum(total_tokens) AS total_tokens,
           total(coalesce(cost_logged_usd, cost_calc_usd)) AS cost_auto_usd, total(cost_calc_usd) AS cost_calc_usd,
           total(cost_logged_usd) AS cost_display_usd,
           sum(coalesce(cost_logged_usd, cost_calc_usd) IS NULL) AS unpriced_auto, sum(cost_calc_usd IS NULL) AS unpriced_calc,
           sum(web_search_requests) AS web_search_requests,
           min(ts) AS first_ts, max(ts) AS last_ts, coalesce(cwd, project) AS label
    FROM usage
    GROUP BY 1, session_id, model, project;
    CREATE INDEX temp.usage_summary_day ON usage_summary (day);
    CREATE INDEX temp.usage_summary_project ON usage_summary (project, day);
  `);
}
