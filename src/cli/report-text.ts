// The readable tables of `ctm report` (without --json): one row per period or session, an optional per-model
// breakdown, a total, the timezone, and a note naming the models whose cost is not included.
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

export function renderText(kind: Kind, out: Report, breakdown: boolean, timezone: string): string {
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
    const notes = ['Blocks are 5-hour windows in UTC, starting at the hour of their first request.'];
    if (out.blocks.some((b) => b.unpricedEntries > 0))
      notes.push('* Some requests have no price (their tokens count, their cost is not included)');
    return [
      textTable(['Block start (UTC)', 'Requests', 'Tokens', 'Cost (USD)', 'Tokens/min', 'Projected'], rows),
      '',
      ...notes,
    ].join('\n');
  }
  // Sessions get a second left-aligned column (the project) inside the first cell.
  const idWidth =
    out.kind === 'session' ? Math.max(7, ...out.report.sessions.map((s) => s.sessionId.length)) : 0;
  const label = {
    daily: 'Date',
    weekly: 'Week',
    monthly: 'Month',
    session: `${'Session'.padEnd(idWidth)}  Project`,
    blocks: '',
  }[kind];
  const list: (PeriodEntry & { key: string })[] =
    out.kind === 'period'
      ? out.report.entries
      : out.report.sessions.map((s) => ({ ...s, key: `${s.sessionId.padEnd(idWidth)}  ${s.projectPath}` }));
  const unpriced = out.report.unpricedModels;
  const rows: string[][] = [];
  for (const entry of list) {
    rows.push(
      entryCells(
        entry.key,
        entry,
        entry.modelsUsed.some((m) => unpriced.includes(m)),
      ),
    );
    if (breakdown) {
      for (const m of entry.modelBreakdowns) {
        const total = m.inputTokens + m.outputTokens + m.cacheCreationTokens + m.cacheReadTokens;
        rows.push(
          entryCells(
            `  └ ${m.modelName}`,
            {
              ...m,
              totalTokens: total,
              totalCost: m.cost,
              modelsUsed: [],
              modelBreakdowns: [],
            },
            unpriced.includes(m.modelName),
          ),
        );
      }
    }
  }
  rows.push(
    entryCells('Total', { ...out.report.totals, modelsUsed: [], modelBreakdowns: [] }, unpriced.length > 0),
  );
  const notes = [`Timezone: ${timezone}`];
  if (unpriced.length > 0)
    notes.push(
      `* No price known for: ${unpriced.join(', ')} (their tokens count, their cost is not included)`,
    );
  return [textTable([label, ...head], rows), '', ...notes].join('\n');
}
