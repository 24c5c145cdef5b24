// Days and models where Claude Code's stats-cache.json disagrees with the transcripts. stats-cache counts
// input + output tokens per day (UTC date as Claude Code wrote it); transcripts are compared the same way.
import type { Db } from '../open.ts';

export interface StatsCacheDisagreement {
  date: string;
  model: string;
  statsCacheTokens: number;
  transcriptTokens: number;
}

export function statsCacheDisagreements(db: Db): StatsCacheDisagreement[] {
  return db
    .prepare(
      `WITH cache AS (
         SELECT date, model, sum(tokens) AS tokens FROM stats_cache_daily GROUP BY date, model
       ),
       transcripts AS (
         SELECT day AS date, model, sum(input_tokens + output_tokens) AS tokens
         FROM usage WHERE day IN (SELECT date FROM cache) GROUP BY day, model
       )
       SELECT c.date, c.model, c.tokens AS statsCacheTokens, coalesce(t.tokens, 0) AS transcriptTokens
       FROM cache c LEFT JOIN transcripts t ON t.date = c.date AND t.model = c.model
       WHERE c.tokens <> coalesce(t.tokens, 0)
       ORDER BY c.date, c.model`,
    )
    .all() as StatsCacheDisagreement[];
}
