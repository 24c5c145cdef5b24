// The command line of `ctm report`: ctm's flag names and ccusage's spellings of them (-j, -s/-u with YYYYMMDD,
// -z, -b, -m/--mode, -o/--order, -w, -t, -O), validated here so an error names the flag as the user typed it,
// and the usage text `--help` prints. Values from the environment are checked later by config.ts.
import { isLocalTimezone, parseTimezone, parseTokenLimit, WEEKDAYS } from '../config.ts';
import type { CostMode } from '../db/day-bucket.ts';
import type { Dimension, WeekDay } from '../db/queries/usage-by-period.ts';
import type { Order } from '../report/period-report.ts';
import { UsageError } from './usage-error.ts';

const { parseArgs } = process.getBuiltinModule('node:util');

export const KINDS = ['daily', 'weekly', 'monthly', 'session', 'blocks'] as const;
export type Kind = (typeof KINDS)[number];

const COST_MODES: readonly CostMode[] = ['auto', 'calculate', 'display'];

interface Flag {
  name: string;
  short?: string;
  type: 'string' | 'boolean';
  /** What --help shows (first column), then the text. */
  usage: string;
  text: string;
  /** The kinds it applies to; all when absent. */
  kinds?: readonly Kind[];
  /** The option it spells (another name of). */
  alias?: string;
  /** The text of `ctm report --help` when it differs per kind. */
  general?: string;
}

const PERIODS: readonly Kind[] = ['daily', 'weekly', 'monthly'];

const FLAGS: readonly Flag[] = [
  {
    name: 'json',
    short: 'j',
    type: 'boolean',
    usage: '-j, --json',
    text: "JSON in ccusage's shape (ctm adds keys, drops none)",
  },
  {
    name: 'csv',
    type: 'boolean',
    usage: '    --csv',
    text: "CSV (RFC 4180) of the JSON's rows and fields; a row per model with -b",
  },
  {
    name: 'since',
    short: 's',
    type: 'string',
    usage: '-s, --since DATE',
    text: 'from this local day on (YYYY-MM-DD or YYYYMMDD)',
  },
  {
    name: 'until',
    short: 'u',
    type: 'string',
    usage: '-u, --until DATE',
    text: 'up to and including this local day',
  },
  {
    name: 'last',
    type: 'string',
    usage: '    --last N',
    text: 'the last N days, counting today (1 = today)',
    kinds: ['daily'],
    general: 'the last N days, weeks or months (counting the current one), sessions or blocks',
  },
  {
    name: 'last',
    type: 'string',
    usage: '    --last N',
    text: 'the last N weeks, counting this one (1 = this week)',
    kinds: ['weekly'],
  },
  {
    name: 'last',
    type: 'string',
    usage: '    --last N',
    text: 'the last N months, counting this one (1 = this month)',
    kinds: ['monthly'],
  },
  {
    name: 'last',
    type: 'string',
    usage: '    --last N',
    text: 'the N sessions with the latest activity',
    kinds: ['session'],
  },
  {
    name: 'last',
    type: 'string',
    usage: '    --last N',
    text: 'the last N blocks with usage (and the gaps between them)',
    kinds: ['blocks'],
  },
  {
    name: 'timezone',
    short: 'z',
    type: 'string',
    usage: '-z, --timezone TZ',
    text: "IANA timezone of days, or local (default: CTM_TZ, else the system's)",
  },
  {
    name: 'project',
    short: 'p',
    type: 'string',
    usage: '-p, --project NAME',
    text: 'one project: its name, its full path, or its folder under projects/',
  },
  {
    name: 'machine',
    type: 'string',
    usage: '    --machine NAME',
    text: "one machine of a hub's index (this machine's own name is CTM_MACHINE)",
  },
  {
    name: 'user',
    type: 'string',
    usage: '    --user NAME',
    text: "one user of a hub's index (this machine's own user is CTM_USER)",
  },
  {
    name: 'by',
    type: 'string',
    usage: '    --by machine|user',
    text: 'a row per machine (or user) in each period',
    kinds: PERIODS,
  },
  {
    name: 'breakdown',
    short: 'b',
    type: 'boolean',
    usage: '-b, --breakdown',
    text: 'a line per model under each row of a table',
    kinds: [...PERIODS, 'session'],
  },
  {
    name: 'mode',
    short: 'm',
    type: 'string',
    usage: '-m, --mode MODE',
    text: 'auto | calculate | display (default: CTM_COST_MODE, else auto)',
    alias: 'cost-mode',
  },
  { name: 'cost-mode', type: 'string', usage: '    --cost-mode MODE', text: 'the same as --mode' },
  {
    name: 'order',
    short: 'o',
    type: 'string',
    usage: '-o, --order asc|desc',
    text: 'oldest first (asc, the default) or newest first',
  },
  {
    name: 'start-of-week',
    short: 'w',
    type: 'string',
    usage: '-w, --start-of-week DAY',
    text: 'the day weeks start on: monday … sunday (default: CTM_WEEK_START, else monday)',
    kinds: ['weekly'],
  },
  {
    name: 'token-limit',
    short: 't',
    type: 'string',
    usage: '-t, --token-limit N|max',
    text: "the active block's limit (default: CTM_TOKEN_LIMIT, else max = the largest block)",
    kinds: ['blocks'],
  },
  {
    name: 'no-cost',
    type: 'boolean',
    usage: '    --no-cost',
    text: 'tokens only: every cost field left out (as ccusage leaves them out)',
  },
  {
    name: 'offline',
    short: 'O',
    type: 'boolean',
    usage: '-O, --offline',
    text: 'accepted for ccusage scripts; ctm never fetches prices',
  },
  {
    name: 'no-offline',
    type: 'boolean',
    usage: '    --no-offline',
    text: 'accepted likewise',
    alias: 'offline',
  },
  // ccusage's display and loading switches: accepted so a ccusage command line runs; they change nothing here
  // (ctm's tables adapt to the terminal's width and colour by themselves; the JSON is the same either way).
  ...(['color', 'no-color', 'compact', 'single-thread', 'debug'] as const).map((name): Flag => ({
    name,
    ...(name === 'debug' ? { short: 'd' } : {}),
    type: 'boolean',
    usage: `${name === 'debug' ? '-d, ' : '    '}--${name}`,
    text: 'accepted for ccusage scripts; no effect',
  })),
  {
    name: 'data-dir',
    type: 'string',
    usage: '    --data-dir DIR',
    text: 'where the index is (default: CTM_DATA_DIR, else ./data)',
  },
  { name: 'help', short: 'h', type: 'boolean', usage: '-h, --help', text: 'this help' },
];

const DESCRIPTION: Record<Kind, string> = {
  daily: 'Usage and cost per local day.',
  weekly: 'Usage and cost per week.',
  monthly: 'Usage and cost per month.',
  session: 'Usage and cost per session (with Claude Code’s own figure in JSON as reportedCost).',
  blocks: '5-hour billing blocks: tokens, cost, and for the active block its burn rate and projection.',
};

/** The usage text of `ctm report --help` (kind undefined) or `ctm report <kind> --help`. */
export function reportHelp(kind?: Kind): string {
  const flags = FLAGS.filter((f) => !f.kinds || !kind || f.kinds.includes(kind));
  const seen = new Set<string>();
  const lines = flags
    .filter((f) => {
      // Without a kind, one line per flag (the first description of --last).
      const key = f.usage;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((f) => {
      if (!kind && f.general) return `  ${f.usage.padEnd(26)} ${f.general}`;
      const only = !kind && f.kinds ? ` (${f.kinds.join(', ')})` : '';
      return `  ${f.usage.padEnd(26)} ${f.text}${only}`;
    });
  const head = kind
    ? [`Usage: ctm report ${kind} [options]`, '', DESCRIPTION[kind]]
    : [
        `Usage: ctm report <${KINDS.join('|')}> [options]`,
        '',
        'Reports from the index (run `ctm ingest --once` first): a table, with --json the JSON ccusage',
        'prints for the same report, or with --csv its rows as CSV. `ctm report <kind> --help` lists the',
        'options of one report.',
      ];
  return [...head, '', 'Options:', ...lines, ''].join('\n');
}

export interface ReportArgs {
  kind: Kind | undefined;
  help: boolean;
  json: boolean;
  csv: boolean;
  breakdown: boolean;
  /** --no-cost: the report without its cost fields (without-costs.ts) or columns. */
  noCost: boolean;
  since?: string | undefined;
  until?: string | undefined;
  last?: number | undefined;
  timezone?: string | undefined;
  costMode?: CostMode | undefined;
  order: Order;
  /** Unset: CTM_WEEK_START's day (config.ts), Monday by default. */
  weekStartsOn?: WeekDay | undefined;
  project?: { value: string; flag: string } | undefined;
  tokenLimit?: number | 'max' | undefined;
  dataDir?: string | undefined;
  machine?: string | undefined;
  user?: string | undefined;
  by?: Dimension | undefined;
}

export function parseDateFlag(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(value);
  const iso = m ? `${m[1]}-${m[2]}-${m[3]}` : '';
  const parsed = Date.parse(iso + 'T00:00:00Z');
  // Date.parse rolls 2026-02-30 over to March: require the date to come back unchanged.
  if (!m || Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== iso)
    throw new UsageError(`${flag}: expected YYYY-MM-DD or YYYYMMDD, got "${value}"`);
  return iso;
}

/** Project keys are encoded paths that start with '-' (`-home-me-repo`): `--project -home-me-repo` means
 * that name, not a missing value followed by another flag. */
export function joinProjectValue(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    if (
      (args[i] === '--project' || args[i] === '-p') &&
      next !== undefined &&
      next.startsWith('-') &&
      next !== '--'
    ) {
      // Joined as typed (`--project=-x`, `-p-x`), so an error still names the flag the user wrote.
      out.push(args[i] === '-p' ? `-p${next}` : `--project=${next}`);
      i++;
    } else out.push(args[i]!);
  }
  return out;
}

const BOOLEAN_VALUES: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };

/** `--json=false`, `-b=true`, `--offline=1`: node's parseArgs takes no value on a boolean flag, so the value is
 * taken off here (true, false, 1 or 0, any case) and kept by the argument's position, where the caller reads it
 * from the token. ccusage accepts any value there and ignores it (`--json=false` prints JSON); ctm takes the
 * value as written. `booleans` holds the spellings (`--json`, `-j`); nothing after `--` is touched. */
export function booleanValues(
  args: readonly string[],
  booleans: ReadonlySet<string>,
): { args: string[]; values: Map<number, boolean> } {
  const out: string[] = [];
  const values = new Map<number, boolean>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : '';
    if (!booleans.has(flag)) {
      out.push(arg);
      continue;
    }
    const raw = arg.slice(eq + 1);
    const v = BOOLEAN_VALUES[raw.trim().toLowerCase()];
    if (v === undefined) throw new UsageError(`${flag}: expected true, false, 1 or 0, got "${raw}"`);
    values.set(out.length, v);
    out.push(flag);
  }
  return { args: out, values };
}

/** Where an error points: the help of the report named on the line, if any. */
function hintFor(kind: Kind | undefined): string {
  return `see \`ctm report${kind ? ` ${kind}` : ''} --help\``;
}

/** node:util's parse errors, as one line naming the flag. */
function parseError(error: unknown, hint: string): never {
  const e = error as { code?: string; message: string };
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'([^']+)'/.exec(e.message)?.[1] ?? '?';
    throw new UsageError(`report: unknown option ${flag} (${hint})`);
  }
  if (e.code?.startsWith('ERR_PARSE_ARGS')) {
    const missing = /^Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(e.message);
    if (missing) throw new UsageError(`${missing[1]}: needs a value (${hint})`);
    throw new UsageError(`report: ${e.message.split('\n')[0]!.replace(/\.$/, '')} (${hint})`);
  }
  throw error;
}

const BOOLEANS: ReadonlySet<string> = new Set(
  FLAGS.filter((f) => f.type === 'boolean').flatMap((f) => [
    `--${f.name}`,
    ...(f.short ? [`-${f.short}`] : []),
  ]),
);

export function parseReportArgs(args: readonly string[]): ReportArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const f of FLAGS) options[f.name] = f.short ? { type: f.type, short: f.short } : { type: f.type };
  let tokens;
  let positionals: string[];
  const plain = booleanValues(joinProjectValue(args), BOOLEANS);
  try {
    ({ tokens, positionals } = parseArgs({
      args: plain.args,
      allowPositionals: true,
      tokens: true,
      options,
    }));
  } catch (error) {
    parseError(error, hintFor(args.find((a): a is Kind => KINDS.includes(a as Kind))));
  }
  // The last spelling of each option wins, and its error names it as typed.
  const value = new Map<string, string | boolean>();
  const typed = new Map<string, string>();
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const flag = FLAGS.find((f) => f.name === t.name)!;
    const name = flag.alias ?? flag.name;
    value.set(name, plain.values.get(t.index) ?? t.value ?? true);
    typed.set(name, t.rawName);
  }
  const str = (name: string) => value.get(name) as string | undefined;
  const flagOf = (name: string) => typed.get(name) ?? `--${name}`;

  const help = value.get('help') === true;
  const [first, ...extra] = positionals;
  const kind = KINDS.includes(first as Kind) ? (first as Kind) : undefined;
  if (help) return { kind, help, json: false, csv: false, breakdown: false, noCost: false, order: 'asc' };
  const hint = hintFor(kind);
  if (!first) throw new UsageError(`report: which report? one of ${KINDS.join(', ')} (${hint})`);
  if (!kind)
    throw new UsageError(`report: unknown report "${first}", expected one of ${KINDS.join(', ')} (${hint})`);
  if (extra.length) throw new UsageError(`report: unexpected argument "${extra[0]}" (${hint})`);
  if (value.get('json') === true && value.get('csv') === true)
    throw new UsageError(`report: ${flagOf('json')} and --csv: choose one (${hint})`);

  const since = parseDateFlag(str('since'), flagOf('since'));
  const until = parseDateFlag(str('until'), flagOf('until'));
  if (since && until && since > until)
    throw new UsageError(`${flagOf('since')} ${since} is after ${flagOf('until')} ${until}`);

  let last: number | undefined;
  if (str('last') !== undefined) {
    const raw = str('last')!;
    if (!/^\d+$/.test(raw) || Number(raw) < 1)
      throw new UsageError(`${flagOf('last')}: expected a whole number from 1 up, got "${raw}"`);
    last = Number(raw);
  }

  const mode = str('cost-mode')?.trim().toLowerCase();
  if (mode !== undefined && !COST_MODES.includes(mode as CostMode))
    throw new UsageError(
      `${flagOf('cost-mode')}: expected one of ${COST_MODES.join(', ')}, got "${str('cost-mode')}"`,
    );

  const order = str('order') ?? 'asc';
  if (order !== 'asc' && order !== 'desc')
    throw new UsageError(`${flagOf('order')}: expected asc or desc, got "${order}"`);

  const week = str('start-of-week')?.toLowerCase();
  const weekStartsOn = week === undefined ? undefined : WEEKDAYS.indexOf(week as (typeof WEEKDAYS)[number]);
  if (weekStartsOn !== undefined && weekStartsOn < 0)
    throw new UsageError(
      `${flagOf('start-of-week')}: expected one of ${WEEKDAYS.join(', ')}, got "${str('start-of-week')}"`,
    );

  const by = str('by');
  if (by !== undefined && by !== 'machine' && by !== 'user')
    throw new UsageError(`${flagOf('by')}: expected machine or user, got "${by}"`);
  for (const name of ['machine', 'user'] as const) {
    const v = str(name);
    if (v !== undefined && (v === '' || v.length > 128))
      throw new UsageError(`${flagOf(name)}: expected a ${name} name of 1 to 128 characters`);
  }

  const project = str('project');
  return {
    kind,
    help,
    json: value.get('json') === true,
    csv: value.get('csv') === true,
    breakdown: value.get('breakdown') === true,
    noCost: value.get('no-cost') === true,
    since,
    until,
    last,
    // `local` is resolved by loadConfig, which reads the environment.
    timezone:
      str('timezone') === undefined || isLocalTimezone(str('timezone'))
        ? str('timezone')
        : parseTimezone(str('timezone'), flagOf('timezone')),
    costMode: mode as CostMode | undefined,
    order,
    weekStartsOn: weekStartsOn as WeekDay | undefined,
    project: project === undefined ? undefined : { value: project, flag: flagOf('project') },
    tokenLimit:
      str('token-limit') === undefined
        ? undefined
        : // 0 (or 00) is a limit of nothing to ccusage, every block with usage beyond it; CTM_TOKEN_LIMIT
          // (and the site) take a positive number only.
          /^\s*0+\s*$/.test(str('token-limit')!)
          ? 0
          : parseTokenLimit(str('token-limit'), flagOf('token-limit')),
    dataDir: str('data-dir'),
    machine: str('machine'),
    user: str('user'),
    by: by as Dimension | undefined,
  };
}
