// `ctm report daily|weekly|monthly|session|blocks`: reads SQLite only, never the logs. With --json the shape
// and field names match ccusage's JSON output; without it, a readable table.
import { ConfigError, loadConfig, parseTokenLimit } from '../../config.ts';
import { openDb, type Db } from '../../db/open.ts';
import type { Period, UsageFilter } from '../../db/queries/usage-by-period.ts';
import { UsageError } from '../usage-error.ts';
// Built-ins through getBuiltinModule: an ESM import of node:util or node:fs builds a facade that evaluates every
// lazy export (TextDecoder, fs/promises, …), about 5 ms of a report whose whole budget is 100 ms.
const { parseArgs } = process.getBuiltinModule('node:util');
const { existsSync } = process.getBuiltinModule('node:fs');

export const KINDS = ['daily', 'weekly', 'monthly', 'session', 'blocks'] as const;
export type Kind = (typeof KINDS)[number];
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
    const out = await buildReport(db, kind, filter, {
      tokenLimit: values['token-limit']
        ? parseTokenLimit(values['token-limit'], '--token-limit')
        : config.tokenLimit,
      now: Date.now(),
    });
    process.stdout.write(
      values.json
        ? JSON.stringify(await reportJson(out), null, 2) + '\n'
        : (await import('../report-text.ts')).renderText(kind, out, values.breakdown, config.timezone) + '\n',
    );
    return 0;
  } finally {
    db.close();
  }
}

/** The report of a kind; each kind loads only its own query and shaping (a CLI start pays per module). */
export async function buildReport(
  db: Db,
  kind: Kind,
  filter: UsageFilter,
  options: { tokenLimit: number | 'max'; now: number },
) {
  const period = PERIOD[kind];
  if (period) {
    const [{ usageByPeriod }, { periodReport }] = await Promise.all([
      import('../../db/queries/usage-by-period.ts'),
      import('../../report/period-report.ts'),
    ]);
    return { kind: 'period' as const, report: periodReport(period, usageByPeriod(db, period, filter)) };
  }
  if (kind === 'session') {
    const [{ usageBySession }, { sessionReport }] = await Promise.all([
      import('../../db/queries/usage-by-session.ts'),
      import('../../report/session-report.ts'),
    ]);
    return { kind: 'session' as const, report: sessionReport(usageBySession(db, filter)) };
  }
  const { blocksReport } = await import('../../report/blocks-report.ts');
  return { kind: 'blocks' as const, blocks: blocksReport(db, filter, options) };
}

export type Report = Awaited<ReturnType<typeof buildReport>>;

export async function reportJson(out: Report): Promise<unknown> {
  if (out.kind === 'period') return (await import('../../report/period-report.ts')).periodJson(out.report);
  if (out.kind === 'session') return out.report;
  return { blocks: out.blocks };
}
