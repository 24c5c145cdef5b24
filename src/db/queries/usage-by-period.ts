// Token and cost sums per period (day, ISO-style week, month) and model, the rows behind the daily, weekly and
// monthly reports. Aggregation happens here in SQL; callers only reshape. Cost sums ignore unpriced rows and
// count them separately (unpricedMessages) so a missing price is visible, never a silent $0.
import type { Db } from '../open.ts';
import { costExpr, dayBucket, type CostMode } from '../day-bucket.ts';

export type Period = 'day' | 'week' | 'month';

export interface UsageFilter {
  timezone: string;
  costMode: CostMode;
  since?: string | undefined;
  until?: string | undefined;
  project?: string | undefined;
  /** 0 = Sunday (ccusage's default), 1 = Monday. */
  weekStartsOn?: 0 | 1;
}

export interface PeriodModelRow {
  period: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  cost: number;
  messages: number;
  unpricedMessages: number;
}

export function periodExpr(period: Period, day: string, weekStartsOn: 0 | 1 = 0): string {
  if (period === 'day') return day;
  if (period === 'month') return `substr(${day}, 1, 7)`;
  return `date(${day}, '-' || ((cast(strftime('%w', ${day}) AS integer) + 7 - ${weekStartsOn}) % 7) || ' days')`;
}

export function usageWhere(
  filter: UsageFilter,
  day: string,
): { sql: string; params: Record<string, string> } {
  const clauses: string[] = [];
  const params: Record<string, string> = {};
  if (filter.since) {
    clauses.push(`${day} >= @since`);
    params.since = filter.since;
  }
  if (filter.until) {
    clauses.push(`${day} <= @until`);
    params.until = filter.until;
  }
  if (filter.project) {
    clauses.push('project = @project');
    params.project = filter.project;
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

export function usageByPeriod(db: Db, period: Period, filter: UsageFilter): PeriodModelRow[] {
  const day = dayBucket(db, filter.timezone);
  const cost = costExpr(filter.costMode);
  const where = usageWhere(filter, day);
  return db
    .prepare(
      `SELECT ${periodExpr(period, day, filter.weekStartsOn)} AS period, model,
              sum(input_tokens) AS inputTokens, sum(output_tokens) AS outputTokens,
              sum(cache_write_5m_tokens) AS cacheWrite5mTokens, sum(cache_write_1h_tokens) AS cacheWrite1hTokens,
              sum(cache_read_tokens) AS cacheReadTokens, sum(total_tokens) AS totalTokens,
              coalesce(sum(${cost}), 0) AS cost, count(*) AS messages,
              sum(${cost} IS NULL) AS unpricedMessages
       FROM usage ${where.sql}
       GROUP BY period, model
       ORDER BY period, model`,
    )
    .all(where.params) as PeriodModelRow[];
}
