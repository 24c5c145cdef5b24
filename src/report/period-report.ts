// Reshapes per-period-per-model rows into ccusage's JSON report shape (daily[].date, weekly[].week,
// monthly[].month, modelBreakdowns with missingPricing, totals with unpricedModels), so scripts written for
// ccusage keep working. ctm adds the cache-write split (cacheWrite5mTokens, cacheWrite1hTokens), web searches
// (webSearchRequests) and a top-level unpricedModels. Totals come from one query (report-totals.ts), never
// from adding up the rows, so every report over the same data has the very same totals.
import type { Dimension, PeriodModelRow, Period } from '../db/queries/usage-by-period.ts';
import type { ReportTotalsRow } from '../db/queries/report-totals.ts';
import { addSums, ZERO_SUMS, type Sums } from '../db/sum-columns.ts';

export type Order = 'asc' | 'desc';

export interface TokenTotals {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  totalCost: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  webSearchRequests: number;
}

export interface ModelBreakdown {
  modelName: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  cost: number;
  /** As ccusage: present (true) only on a model some of whose requests have no price. */
  missingPricing?: true;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  webSearchRequests: number;
}

export type PeriodEntry = TokenTotals & { modelsUsed: string[]; modelBreakdowns: ModelBreakdown[] };

type Row = Sums & { model: string };

/** A report's totals from its totals row (reportTotals). */
export function totalsOf(row: Omit<ReportTotalsRow, 'messages' | 'unpricedMessages'>): TokenTotals {
  return {
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheCreationTokens: row.cacheWrite5mTokens + row.cacheWrite1hTokens,
    cacheReadTokens: row.cacheReadTokens,
    totalTokens: row.totalTokens,
    totalCost: row.cost,
    cacheWrite5mTokens: row.cacheWrite5mTokens,
    cacheWrite1hTokens: row.cacheWrite1hTokens,
    webSearchRequests: row.webSearchRequests,
  };
}

export function breakdown(row: Row): ModelBreakdown {
  return {
    modelName: row.model,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheCreationTokens: row.cacheWrite5mTokens + row.cacheWrite1hTokens,
    cacheReadTokens: row.cacheReadTokens,
    cost: row.cost,
    ...(row.unpricedMessages > 0 ? { missingPricing: true as const } : {}),
    cacheWrite5mTokens: row.cacheWrite5mTokens,
    cacheWrite1hTokens: row.cacheWrite1hTokens,
    webSearchRequests: row.webSearchRequests,
  };
}

/** Groups rows by a key into entries with sums and a per-model breakdown (by cost, descending). */
export function groupEntries<R extends Row>(
  rows: readonly R[],
  keyOf: (row: R) => string,
): Map<string, PeriodEntry> {
  const groups = new Map<string, { sums: Sums; rows: R[] }>();
  for (const row of rows) {
    const key = keyOf(row);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { sums: { ...ZERO_SUMS }, rows: [] }));
    addSums(g.sums, row);
    g.rows.push(row);
  }
  const entries = new Map<string, PeriodEntry>();
  for (const [key, g] of groups)
    entries.set(key, {
      ...totalsOf(g.sums),
      modelsUsed: g.rows.map((r) => r.model),
      modelBreakdowns: g.rows.map((r) => breakdown(r)).sort((a, b) => b.cost - a.cost),
    });
  return entries;
}

export function unpricedModels(
  rows: readonly Pick<PeriodModelRow, 'model' | 'unpricedMessages'>[],
): string[] {
  return [...new Set(rows.filter((r) => r.unpricedMessages > 0).map((r) => r.model))].sort();
}

/** ccusage's totals object: unpricedModels inside it only when some model has no price. */
export function totalsJson(totals: TokenTotals, unpriced: readonly string[]): Record<string, unknown> {
  return unpriced.length > 0 ? { ...totals, unpricedModels: unpriced } : { ...totals };
}

const FIELD: Record<Period, 'date' | 'week' | 'month'> = { day: 'date', week: 'week', month: 'month' };
const LIST: Record<Period, 'daily' | 'weekly' | 'monthly'> = {
  day: 'daily',
  week: 'weekly',
  month: 'monthly',
};

export interface PeriodReport {
  period: Period;
  /** With --by: each entry is one machine's (or user's) part of its period. */
  by?: Dimension;
  entries: (PeriodEntry & { key: string; dimension?: string })[];
  totals: TokenTotals;
  unpricedModels: string[];
}

export function periodReport(
  period: Period,
  rows: readonly PeriodModelRow[],
  totals: TokenTotals,
  order: Order = 'asc',
  by?: Dimension,
): PeriodReport {
  // The query returns periods oldest first (and within one, machines or users by name).
  const entries =
    by === undefined
      ? [...groupEntries(rows, (r) => r.period)].map(([key, entry]) => ({ key, ...entry }))
      : [...groupEntries(rows, (r) => `${r.period}\u0000${r.dimension}`)].map(([k, entry]) => {
          const [key, dimension] = k.split('\u0000') as [string, string];
          return { key, dimension, ...entry };
        });
  if (order === 'desc') entries.reverse();
  return { period, ...(by ? { by } : {}), entries, totals, unpricedModels: unpricedModels(rows) };
}

/** ccusage's JSON: { daily: [{ date, … }], totals } (or weekly/week, monthly/month). */
export function periodJson(report: PeriodReport): Record<string, unknown> {
  const field = FIELD[report.period];
  return {
    [LIST[report.period]]: report.entries.map(({ key, dimension, ...entry }) => ({
      [field]: key,
      ...(report.by ? { [report.by]: dimension } : {}),
      ...entry,
    })),
    totals: totalsJson(report.totals, report.unpricedModels),
    unpricedModels: report.unpricedModels,
  };
}
