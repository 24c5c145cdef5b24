// Reshapes per-period-per-model rows into ccusage's JSON report shape (daily[].date, weekly[].week,
// monthly[].month, modelBreakdowns, totals), so scripts written for ccusage keep working. ctm adds the
// cache-write split (cacheWrite5mTokens, cacheWrite1hTokens) and names the models that have no price.
import type { PeriodModelRow, Period } from '../db/queries/usage-by-period.ts';

export interface TokenTotals {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  totalTokens: number;
  totalCost: number;
}

export interface ModelBreakdown {
  modelName: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  cost: number;
}

export type PeriodEntry = TokenTotals & { modelsUsed: string[]; modelBreakdowns: ModelBreakdown[] };

type Row = Omit<PeriodModelRow, 'period' | 'messages'>;

export function emptyTotals(): TokenTotals {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cacheCreationTokens: 0,
    cacheReadTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    totalTokens: 0,
    totalCost: 0,
  };
}

export function addRow(totals: TokenTotals, row: Row): void {
  totals.inputTokens += row.inputTokens;
  totals.outputTokens += row.outputTokens;
  totals.cacheWrite5mTokens += row.cacheWrite5mTokens;
  totals.cacheWrite1hTokens += row.cacheWrite1hTokens;
  totals.cacheCreationTokens += row.cacheWrite5mTokens + row.cacheWrite1hTokens;
  totals.cacheReadTokens += row.cacheReadTokens;
  totals.totalTokens += row.totalTokens;
  totals.totalCost += row.cost;
}

export function breakdown(row: Row): ModelBreakdown {
  return {
    modelName: row.model,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheCreationTokens: row.cacheWrite5mTokens + row.cacheWrite1hTokens,
    cacheReadTokens: row.cacheReadTokens,
    cacheWrite5mTokens: row.cacheWrite5mTokens,
    cacheWrite1hTokens: row.cacheWrite1hTokens,
    cost: row.cost,
  };
}

/** Groups consecutive rows by a key into entries with totals and a per-model breakdown (by cost, descending). */
export function groupEntries<R extends Row>(
  rows: readonly R[],
  keyOf: (row: R) => string,
): Map<string, PeriodEntry> {
  const entries = new Map<string, PeriodEntry>();
  for (const row of rows) {
    const key = keyOf(row);
    let entry = entries.get(key);
    if (!entry) {
      entry = { ...emptyTotals(), modelsUsed: [], modelBreakdowns: [] };
      entries.set(key, entry);
    }
    addRow(entry, row);
    entry.modelsUsed.push(row.model);
    entry.modelBreakdowns.push(breakdown(row));
  }
  for (const entry of entries.values()) entry.modelBreakdowns.sort((a, b) => b.cost - a.cost);
  return entries;
}

export function unpricedModels(
  rows: readonly Pick<PeriodModelRow, 'model' | 'unpricedMessages'>[],
): string[] {
  return [...new Set(rows.filter((r) => r.unpricedMessages > 0).map((r) => r.model))].sort();
}

const FIELD: Record<Period, 'date' | 'week' | 'month'> = { day: 'date', week: 'week', month: 'month' };
const LIST: Record<Period, 'daily' | 'weekly' | 'monthly'> = {
  day: 'daily',
  week: 'weekly',
  month: 'monthly',
};

export interface PeriodReport {
  period: Period;
  entries: (PeriodEntry & { key: string })[];
  totals: TokenTotals;
  unpricedModels: string[];
}

export function periodReport(period: Period, rows: readonly PeriodModelRow[]): PeriodReport {
  const totals = emptyTotals();
  for (const row of rows) addRow(totals, row);
  const entries = [...groupEntries(rows, (r) => r.period)].map(([key, entry]) => ({ key, ...entry }));
  return { period, entries, totals, unpricedModels: unpricedModels(rows) };
}

/** ccusage's JSON: { daily: [{ date, … }], totals } (or weekly/week, monthly/month). */
export function periodJson(report: PeriodReport): Record<string, unknown> {
  const field = FIELD[report.period];
  return {
    [LIST[report.period]]: report.entries.map(({ key, ...entry }) => ({ [field]: key, ...entry })),
    totals: report.totals,
    unpricedModels: report.unpricedModels,
  };
}
