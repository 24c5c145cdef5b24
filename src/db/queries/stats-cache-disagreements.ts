// Days and models where Claude Code's stats-cache.json disagrees with the transcripts of its own Claude dir,
// compared like with like: a row of dailyModelTokensVersion 5 or later against all four token kinds (input,
// output, cache writes, cache reads), an older row against input + output. Dates are compared with ctm's day.
import type { Db } from '../open.ts';

/** The first dailyModelTokensVersion whose daily figures count cache writes and reads too. */
export const ALL_KINDS_FROM_VERSION = 5;

export interface StatsCacheDisagreement {
  claudeDir: string;
  date: string;
  model: string;
  /** The stats-cache row's dailyModelTokensVersion. */
  version: number;
  /** What both figures count: 'all' four token kinds, or 'input+output'. */
  tokenKinds: 'all' | 'input+output';
  statsCacheTokens: number;
  transcriptTokens: number;
}

export function statsCacheDisagreements(db: Db): StatsCacheDisagreement[] {
  return db
    .prepare(
      `WITH transcripts AS (
         SELECT f.claude_dir, u.day, u.model,
           sum(u.input_tokens + u.output_tokens) AS input_output,
           sum(u.input_tokens + u.output_tokens + u.cache_write_5m_tokens + u.cache_write_1h_tokens
             + u.cache_read_tokens) AS all_kinds
         FROM usage u JOIN files f ON f.id = u.file_id
         WHERE u.day IN (SELECT date FROM stats_cache_daily)
         GROUP BY f.claude_dir, u.day, u.model
       ),
       compared AS (
         SELECT c.claude_dir AS claudeDir, c.date, c.model, c.version,
           CASE WHEN c.version >= :allFrom THEN 'all' ELSE 'input+output' END AS tokenKinds,
           c.tokens AS statsCacheTokens,
           coalesce(CASE WHEN c.version >= :allFrom THEN t.all_kinds ELSE t.input_output END, 0)
             AS transcriptTokens
         FROM stats_cache_daily c
         LEFT JOIN transcripts t ON t.claude_dir = c.claude_dir AND t.day = c.date AND t.model = c.model
       )
       SELECT * FROM compared WHERE statsCacheTokens <> transcriptTokens
       ORDER BY date, model, claudeDir`,
    )
    .all({ allFrom: ALL_KINDS_FROM_VERSION }) as StatsCacheDisagreement[];
}
