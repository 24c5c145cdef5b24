// The readable tables of `ctm report` (without --json): one row per period or session, an optional per-model
// breakdown, a total, the timezone, and a note naming the models whose cost is not included. Columns only some
// data needs (web searches, Claude Code's own session cost, limit resets) appear when the data has them and
// the table still fits the terminal.
import type { Kind, Report } from './commands/report.ts';
import type { PeriodEntry } from '../report/period-report.ts';
import { formatInt, formatUsd } from '../format/number.ts';
import { textTable } from './text-table.ts';

/** A cost that leaves out unpriced usage is marked "*" (explained below the table), never shown as a plain $0. */
function entryCells(label: string, e: PeriodEntry, partial = false): string[] {
  return [
    label,
    formatInt(e.inputTokens),
    formatInt(e.outputTokens),
    formatInt(e.cacheCreationTokens),
    formatInt(e.cacheReadTokens),
    formatInt(e.totalTokens),
    formatUsd(e.totalCost) + (partial ? '*' : ' '),
  ];
}

interface Extra {
  head: string;
  cells: string[];
}

/** The table with as many optional columns as fit `width`, dropping them from the last. */
function fitted(
  head: string[],
  rows: string[][],
  extras: Extra[],
  width: number,
): { table: string; shown: string[] } {
  for (let n = extras.length; ; n--) {
    const use = extras.slice(0, n);
    const table = textTable(
      [...head, ...use.map((e) => e.head)],
      rows.map((r, i) => [...r, ...use.map((e) => e.cells[i] ?? '')]),
    );
    if (n === 0 || table.split('\n', 1)[0]!.length <= width) return { table, shown: use.map((e) => e.head) };
  }
}

/** The terminal's width when printing to one; files and pipes get every column. */
export function outputWidth(): number {
  return process.stdout.isTTY ? process.stdout.columns || 80 : Number.POSITIVE_INFINITY;
}

export function renderText(
  kind: Kind,
  out: Report,
  breakdown: boolean,
  timezone: string,
  width = outputWidth(),
): string {
  const head = ['Input', 'Output', 'Cache write', 'Cache read', 'Total tokens', 'Cost (USD)'];
  if (out.kind === 'blocks') {
    const rows = out.blocks.map((b) => [
      b.isGap
        ? `(gap) ${b.startTime.slice(0, 16)}`
        : `${b.startTime.slice(0, 16)}${b.isActive ? ' ACTIVE' : ''}`,
      b.isGap ? '' : String(b.entries),
      b.isGap ? '' : formatInt(b.totalTokens),
      b.isGap ? '' : formatUsd(b.costUSD) + (b.unpricedEntries > 0 ? '*' : ' '),
      b.burnRate ? formatInt(b.burnRate.tokensPerMinute) : '',
      b.projection ? formatInt(b.projection.totalTokens) : '',
    ]);
    const extras: Extra[] = [];
    if (out.blocks.some((b) => b.usageLimitResetTime))
      extras.push({
        head: 'Limit reset (UTC)',
        cells: out.blocks.map((b) => b.usageLimitResetTime?.slice(0, 16) ?? ''),
      });
    const notes = ['Blocks are 5-hour windows in UTC, starting at the hour of their first request.'];
    if (out.blocks.some((b) => b.unpricedEntries > 0))
      notes.push('* Some requests have no price (their tokens count, their cost is not included)');
    const { table } = fitted(
      ['Block start (UTC)', 'Requests', 'Tokens', 'Cost (USD)', 'Tokens/min', 'Projected'],
      rows,
      extras,
      width,
    );
    return [table, '', ...notes].join('\n');
  }
  // Sessions get a second left-aligned column (the project) inside the first cell, a report --by machine or
  // user the machine or user.
  const by = out.kind === 'period' ? out.report.by : undefined;
  const idWidth =
    out.kind === 'session'
      ? Math.max(7, ...out.report.sessions.map((s) => s.sessionId.length))
      : by
        ? Math.max(5, ...out.report.entries.map((e) => e.key.length))
        : 0;
  const period = { daily: 'Date', weekly: 'Week', monthly: 'Month', session: '', blocks: '' }[kind];
  const label = {
    daily: period,
    weekly: period,
    monthly: period,
    session: `${'Session'.padEnd(idWidth)}  Project`,
    blocks: '',
  }[kind];
  const list: (PeriodEntry & { key: string; reportedCost?: number | null })[] =
    out.kind === 'period'
      ? out.report.entries.map((e) => (by ? { ...e, key: `${e.key.padEnd(idWidth)}  ${e.dimension}` } : e))
      : out.report.sessions.map((s) => ({ ...s, key: `${s.sessionId.padEnd(idWidth)}  ${s.projectPath}` }));
  const unpriced = out.report.unpricedModels;
  const rows: string[][] = [];
  const searches: string[] = [];
  const reported: string[] = [];
  for (const entry of list) {
    rows.push(
      entryCells(
        entry.key,
        entry,
        entry.modelsUsed.some((m) => unpriced.includes(m)),
      ),
    );
    searches.push(formatInt(entry.webSearchRequests));
    reported.push(entry.reportedCost == null ? '' : formatUsd(entry.reportedCost));
    if (breakdown) {
      for (const m of entry.modelBreakdowns) {
        const total = m.inputTokens + m.outputTokens + m.cacheCreationTokens + m.cacheReadTokens;
        rows.push(
          entryCells(
            `  └ ${m.modelName}`,
            { ...m, totalTokens: total, totalCost: m.cost, modelsUsed: [], modelBreakdowns: [] },
            unpriced.includes(m.modelName),
          ),
        );
        searches.push(formatInt(m.webSearchRequests));
        reported.push('');
      }
    }
  }
  const totals = out.report.totals;
  rows.push(entryCells('Total', { ...totals, modelsUsed: [], modelBreakdowns: [] }, unpriced.length > 0));
  searches.push(formatInt(totals.webSearchRequests));
  reported.push('');
  const extras: Extra[] = [];
  if (totals.webSearchRequests > 0) extras.push({ head: 'Web searches', cells: searches });
  if (list.some((e) => e.reportedCost != null)) extras.push({ head: 'Claude Code (USD)', cells: reported });
  const notes = [`Timezone: ${timezone}`];
  if (unpriced.length > 0)
    notes.push(
      `* No price known for: ${unpriced.join(', ')} (their tokens count, their cost is not included)`,
    );
  const first = by ? `${period.padEnd(idWidth)}  ${by === 'machine' ? 'Machine' : 'User'}` : label;
  const { table, shown } = fitted([first, ...head], rows, extras, width);
  if (shown.includes('Claude Code (USD)'))
    notes.push(
      "Claude Code (USD): the session's cost as Claude Code itself recorded it, not added to the total",
    );
  return [table, '', ...notes].join('\n');
}
