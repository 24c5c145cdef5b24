// The readable tables of `ctm report` (without --json): one row per period or session (with its last
// activity, the order sessions are listed in, and its models), an optional per-model breakdown, a total, the
// timezone, and a note naming the models whose cost is not included; blocks with their share of the token
// limit when one was asked for. Columns only some data needs (web searches, Claude Code's own session cost,
// limit resets) appear when the data has them and the table still fits the terminal. With --no-cost no column
// or note speaks of cost.
import type { Report } from './build-report.ts';
import type { Kind } from './report-args.ts';
import type { PeriodEntry } from '../report/period-report.ts';
import { formatDateTime } from '../format/local-format.ts';
import { formatInt, formatUsd } from '../format/number.ts';
import { shortModel } from '../format/short-model.ts';
import { textTable } from './text-table.ts';

/** A cost that leaves out unpriced usage is marked "*" (explained below the table), never shown as a plain $0;
 * `partial` undefined: no cost cell at all (--no-cost). */
function entryCells(label: string, e: PeriodEntry, partial: boolean | undefined): string[] {
  return [
    label,
    formatInt(e.inputTokens),
    formatInt(e.outputTokens),
    formatInt(e.cacheCreationTokens),
    formatInt(e.cacheReadTokens),
    formatInt(e.totalTokens),
    ...(partial === undefined ? [] : [formatUsd(e.totalCost) + (partial ? '*' : ' ')]),
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
  left = 1,
): { table: string; shown: string[] } {
  for (let n = extras.length; ; n--) {
    const use = extras.slice(0, n);
    const table = textTable(
      [...head, ...use.map((e) => e.head)],
      rows.map((r, i) => [...r, ...use.map((e) => e.cells[i] ?? '')]),
      left,
    );
    if (n === 0 || table.split('\n', 1)[0]!.length <= width) return { table, shown: use.map((e) => e.head) };
  }
}

/** A share of the token limit in whole percent; a small non-zero share is "<1%", not a misleading 0%. */
export function limitShare(tokens: number, limit: number): string {
  const pct = (tokens / limit) * 100;
  return pct > 0 && pct < 0.5 ? '<1%' : `${formatInt(Math.round(pct))}%`;
}

/** The terminal's width when printing to one; files and pipes get every column. */
export function outputWidth(): number {
  return process.stdout.isTTY ? process.stdout.columns || 80 : Number.POSITIVE_INFINITY;
}

export interface TextOptions {
  /** A line per model under each row. */
  breakdown: boolean;
  timezone: string;
  /** --no-cost: no cost column, no note about unpriced cost. */
  noCost?: boolean | undefined;
  /** The terminal's width (outputWidth()). */
  width?: number | undefined;
}

export function renderText(kind: Kind, out: Report, options: TextOptions): string {
  const { breakdown, timezone, noCost = false, width = outputWidth() } = options;
  const head = [
    'Input',
    'Output',
    'Cache write',
    'Cache read',
    'Total tokens',
    ...(noCost ? [] : ['Cost (USD)']),
  ];
  /** Whether a cost is partial ("*"), or undefined for no cost cell. */
  const partial = (unpriced: boolean): boolean | undefined => (noCost ? undefined : unpriced);
  if (out.kind === 'blocks') {
    // With --token-limit: each block's tokens as a share of the limit, and the active block's projection.
    const limit = out.limit?.tokens || undefined;
    const rows = out.blocks.map((b) => [
      b.isGap
        ? `(gap) ${b.startTime.slice(0, 16)}`
        : `${b.startTime.slice(0, 16)}${b.isActive ? ' ACTIVE' : ''}`,
      b.isGap ? '' : String(b.entries),
      b.isGap ? '' : formatInt(b.totalTokens),
      ...(noCost ? [] : [b.isGap ? '' : formatUsd(b.costUSD) + (b.unpricedEntries > 0 ? '*' : ' ')]),
      b.burnRate ? formatInt(b.burnRate.tokensPerMinute) : '',
      b.projection ? formatInt(b.projection.totalTokens) : '',
      ...(limit === undefined
        ? []
        : [
            b.isGap
              ? ''
              : limitShare(b.totalTokens, limit) +
                (b.projection ? ` → ${limitShare(b.projection.totalTokens, limit)}` : ''),
          ]),
    ]);
    const extras: Extra[] = [];
    if (out.blocks.some((b) => b.usageLimitResetTime))
      extras.push({
        head: 'Limit reset (UTC)',
        cells: out.blocks.map((b) => b.usageLimitResetTime?.slice(0, 16) ?? ''),
      });
    const notes = ['Blocks are 5-hour windows in UTC, starting at the hour of their first request.'];
    if (out.limit) {
      notes.push(
        out.limit.tokens === 0
          ? 'Of limit: not shown against a limit of 0 tokens (every block with usage is beyond it)'
          : limit === undefined
            ? 'Of limit: no completed block yet, so no largest block to measure against (--token-limit max)'
            : `Of limit: each block's tokens as a share of ${formatInt(limit)}` +
              `${out.limit.max ? ' (max: the largest completed block)' : ''}` +
              (out.blocks.some((b) => b.projection) ? "; → the active block's projection" : ''),
      );
    }
    if (!noCost && out.blocks.some((b) => b.unpricedEntries > 0))
      notes.push('* Some requests have no price (their tokens count, their cost is not included)');
    const { table } = fitted(
      [
        'Block start (UTC)',
        'Requests',
        'Tokens',
        ...(noCost ? [] : ['Cost (USD)']),
        'Tokens/min',
        'Projected',
        ...(limit === undefined ? [] : ['Of limit']),
      ],
      rows,
      extras,
      width,
    );
    return [table, '', ...notes].join('\n');
  }
  // Left-aligned columns before the numbers: the period, and with --by its machine or user; a session's id,
  // project, last activity (the order sessions are listed in) and models. Breakdown and total rows leave all
  // but the first empty.
  const by = out.kind === 'period' ? out.report.by : undefined;
  const period = { daily: 'Date', weekly: 'Week', monthly: 'Month', session: '', blocks: '' }[kind];
  const leadHead =
    out.kind === 'session'
      ? ['Session', 'Project', 'Last activity', 'Models']
      : by
        ? [period, by === 'machine' ? 'Machine' : 'User']
        : [period];
  const minute = (iso: string) => formatDateTime(Date.parse(iso), timezone);
  const list: (PeriodEntry & { key: string; lead: string[]; reportedCost?: number | null })[] =
    out.kind === 'period'
      ? out.report.entries.map((e) => ({ ...e, lead: by ? [e.key, e.dimension ?? ''] : [e.key] }))
      : out.report.sessions.map((s) => ({
          ...s,
          key: s.sessionId,
          lead: [s.sessionId, s.projectName, minute(s.lastActivity), s.modelsUsed.map(shortModel).join(', ')],
        }));
  const led = (lead: string[], cells: string[]): string[] => [
    ...lead,
    ...Array<string>(leadHead.length - lead.length).fill(''),
    ...cells.slice(1),
  ];
  const unpriced = out.report.unpricedModels;
  const rows: string[][] = [];
  const searches: string[] = [];
  const reported: string[] = [];
  for (const entry of list) {
    rows.push(
      led(
        entry.lead,
        entryCells(entry.key, entry, partial(entry.modelsUsed.some((m) => unpriced.includes(m)))),
      ),
    );
    searches.push(formatInt(entry.webSearchRequests));
    reported.push(entry.reportedCost == null ? '' : formatUsd(entry.reportedCost));
    if (breakdown) {
      for (const m of entry.modelBreakdowns) {
        const total = m.inputTokens + m.outputTokens + m.cacheCreationTokens + m.cacheReadTokens;
        rows.push(
          led(
            [`  └ ${m.modelName}`],
            entryCells(
              '',
              { ...m, totalTokens: total, totalCost: m.cost, modelsUsed: [], modelBreakdowns: [] },
              partial(unpriced.includes(m.modelName)),
            ),
          ),
        );
        searches.push(formatInt(m.webSearchRequests));
        reported.push('');
      }
    }
  }
  const totals = out.report.totals;
  rows.push(
    led(
      ['Total'],
      entryCells('', { ...totals, modelsUsed: [], modelBreakdowns: [] }, partial(unpriced.length > 0)),
    ),
  );
  searches.push(formatInt(totals.webSearchRequests));
  reported.push('');
  const extras: Extra[] = [];
  if (totals.webSearchRequests > 0) extras.push({ head: 'Web searches', cells: searches });
  if (!noCost && list.some((e) => e.reportedCost != null))
    extras.push({ head: 'Claude Code (USD)', cells: reported });
  const notes = [`Timezone: ${timezone}`];
  if (!noCost && unpriced.length > 0)
    notes.push(
      `* No price known for: ${unpriced.join(', ')} (their tokens count, their cost is not included)`,
    );
  const { table, shown } = fitted([...leadHead, ...head], rows, extras, width, leadHead.length);
  if (shown.includes('Claude Code (USD)'))
    notes.push(
      "Claude Code (USD): the session's cost as Claude Code itself recorded it, not added to the total",
    );
  return [table, '', ...notes].join('\n');
}
