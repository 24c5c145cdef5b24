// `ctm report daily|weekly|monthly|session|blocks`: reads SQLite only, never the logs. With --json the shape
// and field names match ccusage's JSON output (ctm adds keys, drops none); with --csv, the JSON's rows as CSV
// (report-csv.ts); without either, a readable table.
import { ConfigError, loadConfig } from '../../config.ts';
import { openDb, type Db } from '../../db/open.ts';
import { latestVersion } from '../../db/migrate.ts';
import type { UsageFilter } from '../../db/queries/usage-by-period.ts';
import type { ProjectName } from '../../db/queries/project-names.ts';
import { storedNames } from '../../db/machine-names.ts';
import { parseReportArgs, reportHelp } from '../report-args.ts';
import { buildReport, PERIOD, type Report } from '../build-report.ts';
import { UsageError } from '../usage-error.ts';
import { terminalSafe } from '../../format/terminal-safe.ts';

// Built-ins through getBuiltinModule: an ESM import of node:util or node:fs builds a facade that evaluates every
// lazy export (TextDecoder, fs/promises, …), about 5 ms of a report whose whole budget is 100 ms.
const { existsSync } = process.getBuiltinModule('node:fs');

export function openIndex(dbPath: string): Db {
  if (!existsSync(dbPath)) {
    throw new ConfigError('CTM_DATA_DIR', `no index at ${dbPath}; run \`ctm ingest --once\` first`);
  }
  const db = openDb(dbPath, { readonly: true });
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version >= latestVersion()) return db;
  // An index an older ctm wrote: a reader never migrates, so it is upgraded once here (as the next ingest would),
  // unless it cannot be written.
  db.close();
  try {
    openDb(dbPath).close();
  } catch (error) {
    throw new ConfigError(
      'CTM_DATA_DIR',
      `the index at ${dbPath} is from an older ctm (schema ${version}) and cannot be upgraded here ` +
        `(${(error as Error).message}); run \`ctm ingest --once\` where it can be written`,
    );
  }
  return openDb(dbPath, { readonly: true });
}

export async function reportCommand(args: string[]): Promise<number> {
  const a = parseReportArgs(args);
  if (a.help) {
    process.stdout.write(reportHelp(a.kind));
    return 0;
  }
  const kind = a.kind!;
  const config = loadConfig(process.env, {
    ...(a.timezone ? { timezone: a.timezone } : {}),
    ...(a.costMode ? { costMode: a.costMode } : {}),
    ...(a.dataDir ? { dataDir: a.dataDir } : {}),
  });
  const now = Date.now();
  const filter: UsageFilter = {
    timezone: config.timezone,
    costMode: config.costMode,
    since: a.since,
    until: a.until,
    weekStartsOn: a.weekStartsOn ?? config.weekStart,
    local: { machine: config.machine, user: config.user },
    ...(a.machine !== undefined ? { machines: storedNames(a.machine, config.machine) } : {}),
    ...(a.user !== undefined ? { users: storedNames(a.user, config.user) } : {}),
  };
  const period = PERIOD[kind];
  if (period && a.last !== undefined) {
    const [{ lastPeriodsStart }, { makeLocalTime }] = await Promise.all([
      import('../../report/last-periods.ts'),
      import('../../time/local-time.ts'),
    ]);
    const start = lastPeriodsStart(
      period,
      a.last,
      makeLocalTime(config.timezone)(now).day,
      filter.weekStartsOn,
    );
    if (!filter.since || filter.since < start) filter.since = start;
  }
  const db = openIndex(config.dbPath);
  try {
    if (a.project) {
      const { key, note } = await projectKey(db, a.project.value, a.project.flag);
      filter.project = key;
      if (note) process.stderr.write(`ctm: ${note}\n`);
    }
    const out = await buildReport(db, kind, filter, {
      tokenLimit: a.tokenLimit ?? config.tokenLimit,
      showLimit: a.tokenLimit !== undefined,
      now,
      order: a.order,
      last: period ? undefined : a.last,
      by: a.by,
    });
    const json = async () => {
      const full = (await reportJson(out)) as Record<string, unknown>;
      return a.noCost ? (await import('../../report/without-costs.ts')).withoutCosts(full) : full;
    };
    process.stdout.write(
      a.json
        ? JSON.stringify(await json(), null, 2) + '\n'
        : a.csv
          ? (await import('../report-csv.ts')).reportCsv(await json(), a.breakdown)
          : terminalSafe(
              (await import('../report-text.ts')).renderText(kind, out, {
                breakdown: a.breakdown,
                timezone: config.timezone,
                noCost: a.noCost,
              }),
            ) + '\n',
    );
    return 0;
  } finally {
    db.close();
  }
}

/** The project key a `--project` value names; an ambiguous one is a usage error. One that names no project
 * gives, as in ccusage, the report of nothing (exit 0): its key is the value itself, which no message has, and a
 * note for stderr names the projects there are. */
async function projectKey(db: Db, value: string, flag: string): Promise<{ key: string; note?: string }> {
  const { isProjectKey, projectNames } = await import('../../db/queries/project-names.ts');
  if (isProjectKey(db, value)) return { key: value };
  const { resolveProject, describeProject } = await import('../../report/resolve-project.ts');
  const names = projectNames(db);
  const match = resolveProject(value, names);
  if (match.kind === 'found') return { key: match.project };
  const describe = (n: ProjectName) => describeProject(n, names);
  if (match.kind === 'ambiguous') {
    throw new UsageError(
      `${flag}: "${value}" fits ${match.candidates.length} projects: ` +
        `${match.candidates.map(describe).join(', ')}; give its name as the pages show it or its full path`,
    );
  }
  const known = match.known.slice(0, 10).map(describe).join(', ');
  return {
    key: value,
    note:
      `${flag}: no project "${value}"` +
      (match.known.length === 0
        ? ' (the index has no usage yet)'
        : ` (known: ${known}${match.known.length > 10 ? `, and ${match.known.length - 10} more` : ''})`),
  };
}

export async function reportJson(out: Report): Promise<unknown> {
  if (out.kind === 'period') return (await import('../../report/period-report.ts')).periodJson(out.report);
  if (out.kind === 'session') return (await import('../../report/session-report.ts')).sessionJson(out.report);
  return (await import('../../report/blocks-report.ts')).blocksJson(out.blocks);
}
