// The site's tables as CSV: one builder per kind of table component, each taking the rows the component draws
// (a loader's rows, never a query of its own) and giving the same columns under the same headings, with the
// exact values instead of their display: plain numbers, costs in USD at full precision, times as ISO 8601 UTC,
// days as YYYY-MM-DD, projects by the display name the page shows. A total row is not repeated: it is the sum
// of the rows.
import type { CsvValue } from '../format/csv.ts';
import type { BreakdownRow } from '../db/queries/usage-breakdown.ts';
import type { PeriodTotalsRow } from '../db/queries/period-totals.ts';
import type { SessionListRow } from '../db/queries/session-list.ts';
import type { TeamRow } from '../db/queries/team-breakdown.ts';
import type { StatsCacheDay } from '../db/queries/stats-cache-only-days.ts';
import type { Block } from '../report/identify-blocks.ts';
import type { ModelsData } from './load/models.ts';
import type { ProjectNamed } from './project-labels.ts';
import { projectName } from '../format/local-format.ts';
import {
  FULL_COLUMNS,
  SHORT_COLUMNS,
  TOKEN_COLUMNS,
  type TokenColumn,
  type TokenRow,
} from '../components/token-columns.ts';

/** One table of a page: `name` is its file's name without `.csv` (CsvLink.astro links `${name}.csv`). */
export interface CsvTable {
  name: string;
  header: string[];
  rows: CsvValue[][];
}

const heads = (columns: readonly TokenColumn[]) => columns.map((c) => TOKEN_COLUMNS[c].head);
const values = (columns: readonly TokenColumn[], row: TokenRow) =>
  columns.map((c) => TOKEN_COLUMNS[c].value(row));
const iso = (ms: number) => new Date(ms);

/** PeriodTable: a day, week (its first day) or month per row; weeks and months count their active days. */
export function periodTable(
  name: string,
  head: string,
  rows: readonly PeriodTotalsRow[],
  activeDays = false,
): CsvTable {
  const columns: readonly TokenColumn[] = [
    ...(activeDays ? (['activeDays'] as const) : []),
    'sessions',
    ...FULL_COLUMNS,
  ];
  return {
    name,
    header: [head, ...heads(columns)],
    rows: rows.map((r) => [r.period, ...values(columns, r)]),
  };
}

export interface BreakdownOptions {
  sessions?: boolean;
  compact?: boolean;
}

/** BreakdownTable: per model (with its unpriced requests), project (display name and working directory) or
 * thread (agent id, '' the main thread, and its type). */
export function breakdownTable(
  name: string,
  by: 'model' | 'project' | 'agent',
  rows: readonly (BreakdownRow & Partial<ProjectNamed>)[],
  { sessions = true, compact = false }: BreakdownOptions = {},
): CsvTable {
  const columns: TokenColumn[] = [
    ...(sessions ? (['sessions'] as const) : []),
    ...(compact ? (['total', 'cost'] as const) : FULL_COLUMNS),
  ];
  const lead = {
    model: { header: ['Model'], of: (r: BreakdownRow) => [r.key] },
    project: {
      header: ['Project', 'Working directory'],
      of: (r: BreakdownRow & Partial<ProjectNamed>) => [
        r.projectName ?? projectName(r.label),
        r.projectPath ?? r.label,
      ],
    },
    agent: {
      header: ['Thread', 'Agent type'],
      of: (r: BreakdownRow) =>
        r.key === '' ? ['main thread', ''] : [r.key, r.label === r.key ? '' : r.label],
    },
  }[by];
  const unpriced = by === 'model';
  return {
    name,
    header: [...lead.header, ...heads(columns), ...(unpriced ? ['Unpriced requests'] : [])],
    rows: rows.map((r) => [...lead.of(r), ...values(columns, r), ...(unpriced ? [r.unpricedMessages] : [])]),
  };
}

/** SessionTable: last activity, the full session id, its project's display name (when the table shows it),
 * its start, its duration in seconds. */
export function sessionTable(
  name: string,
  rows: readonly (SessionListRow & Partial<ProjectNamed>)[],
  project = true,
): CsvTable {
  return {
    name,
    header: [
      'Last activity',
      'Session',
      ...(project ? ['Project'] : []),
      'Started',
      'Duration (s)',
      ...heads(SHORT_COLUMNS),
    ],
    rows: rows.map((s) => [
      iso(s.lastTs),
      s.sessionId,
      ...(project ? [s.projectName ?? projectName(s.cwd)] : []),
      iso(s.firstTs),
      (s.lastTs - s.firstTs) / 1000,
      ...values(SHORT_COLUMNS, s),
    ]),
  };
}

/** TeamTable: a machine or user per row. */
export function teamTable(name: string, by: 'machine' | 'user', rows: readonly TeamRow[]): CsvTable {
  return {
    name,
    header: [
      by === 'machine' ? 'Machine' : 'User',
      'Sessions',
      'Requests',
      'Tokens',
      'Last day',
      'Cost',
      'Unpriced requests',
    ],
    rows: rows.map((r) => [
      r.key,
      r.sessions,
      r.messages,
      r.totalTokens,
      r.lastDay,
      r.cost,
      r.unpricedMessages,
    ]),
  };
}

/** StatsCacheDays: newest first, as the page lists them. */
export function statsCacheTable(name: string, days: readonly StatsCacheDay[]): CsvTable {
  return {
    name,
    header: ['Day', 'Tokens', 'Counts', 'Models'],
    rows: [...days]
      .reverse()
      .map((d) => [
        d.day,
        d.tokens,
        d.allKinds ? 'all kinds' : 'input + output',
        d.models.split(',').join(', '),
      ]),
  };
}

/** The models page's rates: USD per million tokens; a long-context tier as `above:input/output` per tier. */
export function ratesTable(name: string, models: ModelsData['models']): CsvTable {
  return {
    name,
    header: [
      'Model',
      'Price entry',
      'Input',
      'Output',
      'Cache write 5m',
      'Cache write 1h',
      'Cache read',
      'Long-context tier',
      'Fast',
      'Source',
      'Checked',
      'Changed',
    ],
    rows: models.map((m) => [
      m.key,
      m.priceId,
      m.price?.input,
      m.price?.output,
      m.price?.cacheWrite5m,
      m.price?.cacheWrite1h,
      m.price?.cacheRead,
      m.price?.tiers.map((t) => `over ${t.above}: ${t.input} / ${t.output}`).join('; '),
      m.price?.fastMultiplier,
      m.source,
      m.checked,
      m.changes.join(', '),
    ]),
  };
}

/** The blocks page's recent blocks: the share of the limit in percent, empty without a limit. */
export function blocksTable(name: string, blocks: readonly Block[], limit: number): CsvTable {
  return {
    name,
    header: ['Start', 'End', 'Active', 'Models', 'Of limit (%)', ...heads(SHORT_COLUMNS)],
    rows: blocks.map((b) => [
      new Date(b.startTime),
      new Date(b.endTime),
      b.isActive,
      b.models.join(', '),
      limit > 0 ? (b.totalTokens / limit) * 100 : null,
      b.entries,
      b.totalTokens,
      b.costUSD,
    ]),
  };
}
