// The count, token and cost columns the report tables share: each column's heading, the figure it shows of a
// row of sums, and how that figure is written. TokenCells.astro renders them; the tables only choose which.
import type { Sums } from '../db/sum-columns.ts';
import { formatInt, formatUsd } from '../format/number.ts';

export type TokenRow = Readonly<
  Omit<Sums, 'unpricedMessages' | 'webSearchRequests'> & {
    /** Present on the rows of the tables that show them. */
    sessions?: number;
    activeDays?: number;
  }
>;

export type TokenColumn =
  | 'activeDays'
  | 'sessions'
  | 'requests'
  | 'input'
  | 'output'
  | 'cacheWrite'
  | 'cacheRead'
  | 'total'
  | 'tokens'
  | 'cost';

interface ColumnSpec {
  head: string;
  value: (r: TokenRow) => number;
  format: (n: number) => string;
}

export const TOKEN_COLUMNS: Record<TokenColumn, ColumnSpec> = {
  activeDays: { head: 'Active days', value: (r) => r.activeDays ?? 0, format: formatInt },
  sessions: { head: 'Sessions', value: (r) => r.sessions ?? 0, format: formatInt },
  requests: { head: 'Requests', value: (r) => r.messages, format: formatInt },
  input: { head: 'Input', value: (r) => r.inputTokens, format: formatInt },
  output: { head: 'Output', value: (r) => r.outputTokens, format: formatInt },
  cacheWrite: {
    head: 'Cache write',
    value: (r) => r.cacheWrite5mTokens + r.cacheWrite1hTokens,
    format: formatInt,
  },
  cacheRead: { head: 'Cache read', value: (r) => r.cacheReadTokens, format: formatInt },
  total: { head: 'Total tokens', value: (r) => r.totalTokens, format: formatInt },
  tokens: { head: 'Tokens', value: (r) => r.totalTokens, format: formatInt },
  cost: { head: 'Cost', value: (r) => r.cost, format: formatUsd },
};

/** Every token kind, the total and the cost. */
export const FULL_COLUMNS: readonly TokenColumn[] = [
  'requests',
  'input',
  'output',
  'cacheWrite',
  'cacheRead',
  'total',
  'cost',
];

/** Requests, tokens and cost. */
export const SHORT_COLUMNS: readonly TokenColumn[] = ['requests', 'tokens', 'cost'];
