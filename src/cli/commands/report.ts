// `ctm report daily|weekly|monthly|session|blocks`: reads SQLite only, never the logs. With --json the shape
// and field names match ccusage's JSON output; without it, a readable table.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, parseTokenLimit } from '../../config.ts';
import { openDb, type Db } from '../../db/open.ts';
import { usageByPeriod, type Period, type UsageFilter } from '../../db/queries/usage-by-period.ts';
import { usageBySession } from '../../db/queries/usage-by-session.ts';
import { usageTimeline } from '../../db/queries/usage-timeline.ts';
import { periodJson, periodReport, type PeriodEntry } from '../../report/period-report.ts';
import { sessionReport } from '../../report/session-report.ts';
import { identifyBlocks, maxBlockTokens, type Block } from '../../report/identify-blocks.ts';
import { formatInt, formatUsd } from '../../format/number.ts';
import { textTable } from '../text-table.ts';
import { UsageError } from '../usage-error.ts';

const KINDS = ['daily', 'weekly', 'monthly', 'session', 'blocks'] as const;
type Kind = (typeof KINDS)[number];
const PERIOD: Partial<Record<Kind, Period>> = { daily: 'day', weekly: 'week', monthly: 'month' };

export function parseDateFlag(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(value);
  const iso = m ? `${m[1]}-${m[2]}-${m[3]}` : '';
  const parsed = Date.parse(iso + 'T00:00:00Z');
  // Date.parse rolls 2026-02-30 over to March: require the date to come back unchanged.
  if (!m || Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== iso)
    throw new UsageError(`${flag}: expected YYYY-MM-DD, got "${value}"`);
  return iso;
}

export function openIndex(dbPath: string): Db {
  if (!existsSync(dbPath)) {
    throw new ConfigError('CTM_DATA_DIR', `no index at ${dbPath}; run \`ctm ingest --once\` first`);
  }
  return openDb(dbPath, { readonly: true });
}

/** Project names are encoded paths that start with '-' (`-home-me-repo`): `--project -home-me-repo` means
 * that name, not a missing value followed by another flag. */
export function joinProjectValue(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    if (args[i] === '--project' && next !== undefined && next.startsWith('-') && next !== '--') {
      out.push(`--project=${next}`);
      i++;
    } else out.push(args[i]!);
  }
  return out;
}

export async function reportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: joinProjectValue(args),
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      since: { type: 'string' },
      until: { type: 'string' },
      timezone: { type: 'string' },
      breakdown: { type: 'boolean', default: false },
      project: { type: 'string' },
      'cost-mode': { type: 'string' },
      'token-limit': { type: 'string' },
      'start-of-week': { type: 'string', default: 'sunday' },
      'data-dir': { type: 'string' },
    },
  });
  const kind = positionals[0] as Kind | undefined;
  if (!kind || !KINDS.includes(kind)) throw new UsageError(`report: expected one of ${KINDS.join(', ')}`);
  const config = loadConfig(process.env, {
    ...(values.timezone ? { timezone: values.timezone } : {}),
    ...(values['cost-mode'] ? { costMode: values['cost-mode'] } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
  });
  const weekStart = values['start-of-week'];
  if (weekStart !== 'sunday' && weekStart !== 'monday')
    throw new UsageError('--start-of-week: expected sunday or monday');
  const filter: UsageFilter = {
    timezone: config.timezone,
    costMode: config.costMode,
    since: parseDateFlag(values.since, '--since'),
    until: parseDateFlag(values.until, '--until'),
    project: values.project,
    weekStartsOn: weekStart === 'monday' ? 1 : 0,
  };
  const db = openIndex(config.dbPath);
  try {
    const out = buildReport(db, kind, filter, {
      tokenLimit: values['token-limit']
        ? parseTokenLimit(values['token-limit'], '--token-limit')
        : config.tokenLimit,
      now: Date.now(),
    });
    process.stdout.write(
      values.json
        ? JSON.stringify(reportJson(out), null, 2) + '\n'
        : renderText(kind, out, values.breakdown, config.timezone) + '\n',
    );
    return 0;
  } finally {
    db.close();
  }
}

export function buildReport(
  db: Db,
  kind: Kind,
  filter: UsageFilter,
  options: { tokenLimit: number | 'max'; now: number },
) {
  const period = PERIOD[kind];
  if (period)
    return { kind: 'period' as const, report: periodReport(period, usageByPeriod(db, period, filter)) };
  if (kind === 'session')
    return { kind: 'session' as const, report: sessionReport(usageBySession(db, filter)) };
  const rows = usageTimeline(db, { costMode: filter.costMode, project: filter.project });
  let blocks = identifyBlocks(rows, options.now);
  const limit = options.tokenLimit === 'max' ? maxBlockTokens(blocks) : options.tokenLimit;
  if (filter.since || filter.until) {
    blocks = blocks.filter(
      (b) =>
        (!filter.since || b.startTime.slice(0, 10) >= filter.since) &&
        (!filter.until || b.startTime.slice(0, 10) <= filter.until),
    );
  }
  return {
    kind: 'blocks' as const,
    blocks: blocks.map((b) => ({ ...b, tokenLimitStatus: tokenLimitStatus(b, limit) })),
  };
}

/** As ccusage: only a block with a projection (the active one) gets a status; "warning" above 80 %. */
export function tokenLimitStatus(b: Block, limit: number) {
  if (!b.projection || limit <= 0) return undefined;
  const projectedUsage = b.projection.totalTokens;
  return {
    limit,
    projectedUsage,
    percentUsed: (projectedUsage / limit) * 100,
    status: projectedUsage > limit ? 'exceeds' : projectedUsage > limit * 0.8 ? 'warning' : 'ok',
  };
}

type Report = ReturnType<typeof buildReport>;

export function reportJson(out: Report): unknown {
  if (out.kind === 'period') return periodJson(out.report);
  if (out.kind === 'session') return out.report;
  return { blocks: out.blocks };
}

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

function renderText(kind: Kind, out: Report, breakdown: boolean, timezone: string): string {
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
