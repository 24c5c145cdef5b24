// Environment variables and CLI flags → one typed, validated config. This is the only module that reads
// process.env (callers pass it in); every error names the setting that is wrong, so a misconfiguration is
// one clear line instead of a stack trace.
import { homedir } from 'node:os';
import { resolve, join } from 'node:path';
import {
  ConfigError,
  expandHome,
  HOST_NAME,
  isIP,
  parseHost,
  parseInteger,
  type Env,
} from './config-parsers.ts';
import { loadTeamConfig, type TeamConfig, type TeamFlags } from './team-config.ts';

export { ConfigError, expandHome, parseHost, type Env } from './config-parsers.ts';

export type CostMode = 'auto' | 'calculate' | 'display';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Every setting; the team ones (this machine's name and user, a hub's ingest, an agent's push) are in
 * team-config.ts. */
export interface Config extends TeamConfig {
  /** Candidate Claude config dirs, `~` expanded, de-duplicated, in priority order. */
  claudeDirs: string[];
  /** Which setting the dirs came from, for error messages. */
  claudeDirsSource: 'CTM_CLAUDE_DIR' | 'CLAUDE_CONFIG_DIR' | 'default';
  dataDir: string;
  dbPath: string;
  timezone: string;
  pricingFile: string | undefined;
  costMode: CostMode;
  host: string;
  /** Host names (beyond loopback names and IP addresses) requests may be addressed to; `*.x` = any subdomain. */
  allowedHosts: string[];
  port: number;
  logLevel: LogLevel;
  rebuildCron: string;
  snapshotCron: string;
  snapshotKeep: number;
  tokenLimit: number | 'max';
  rescanSeconds: number;
  /** The day weeks start on, 0 = Sunday … 6 = Saturday: the weekly report and the site's weeks alike. */
  weekStart: WeekDay;
}

export type WeekDay = 0 | 1 | 2 | 3 | 4 | 5 | 6;
export const WEEKDAYS = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;

export type Flags = Partial<
  Record<'timezone' | 'dataDir' | 'claudeDir' | 'costMode' | 'port' | 'host' | 'startOfWeek', string>
> &
  TeamFlags;

/** The parts `ctm statusline` can show; the default format is all but `cache`, in this order. */
export const STATUSLINE_PARTS = [
  'model',
  'session',
  'today',
  'block',
  '5h',
  '7d',
  'spend',
  'ctx',
  'cache',
] as const;
export type StatuslinePart = (typeof STATUSLINE_PARTS)[number];

/** `ctm statusline`'s own settings, apart from Config: no other command or child process needs them. */
export interface StatuslineSettings {
  /** The parts shown, in order. */
  format: StatuslinePart[];
  /** ANSI colours (Claude Code shows them); off unless asked for. */
  color: boolean;
  /** Percentages from which a limit or context part turns yellow, then red. */
  thresholds: { warn: number; alert: number };
}

/** Part names separated by commas or spaces, each at most once. */
export function parseStatuslineFormat(value: string | undefined, setting: string): StatuslinePart[] {
  const names = (value ?? '').split(/[\s,]+/).filter((name) => name !== '');
  if (names.length === 0) return STATUSLINE_PARTS.filter((p) => p !== 'cache');
  for (const name of names) {
    if (!(STATUSLINE_PARTS as readonly string[]).includes(name)) {
      throw new ConfigError(setting, `unknown part "${name}" (parts: ${STATUSLINE_PARTS.join(', ')})`);
    }
  }
  return [...new Set(names)] as StatuslinePart[];
}

/** "WARN,ALERT" in percent, e.g. "70,90": yellow from the first, red from the second. */
export function parseThresholds(value: string | undefined, setting: string): { warn: number; alert: number } {
  if (value === undefined || value.trim() === '') return { warn: 70, alert: 90 };
  const m = /^\s*(\d{1,3}(?:\.\d+)?)\s*,\s*(\d{1,3}(?:\.\d+)?)\s*$/.exec(value);
  const [warn, alert] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!(warn >= 0 && warn <= alert && alert <= 100)) {
    throw new ConfigError(
      setting,
      `expected two percentages "WARN,ALERT" with WARN <= ALERT <= 100, got "${value}"`,
    );
  }
  return { warn, alert };
}

/** The settings `ctm statusline --print-config` writes into the command it prints, those this shell has (the
 *  pricing file made absolute: the command runs in the session's directory). */
export function carriedStatuslineSettings(env: Env, config: Pick<Config, 'pricingFile'>): [string, string][] {
  const names = [
    'CTM_TZ',
    'CTM_COST_MODE',
    'CTM_PRICING_FILE',
    'CTM_STATUSLINE_FORMAT',
    'CTM_STATUSLINE_THRESHOLDS',
  ];
  return names.flatMap((name): [string, string][] => {
    const value = env[name]?.trim();
    return value ? [[name, name === 'CTM_PRICING_FILE' ? config.pricingFile! : value]] : [];
  });
}

/** Colours on a terminal unless NO_COLOR (no-color.org) is set. */
export function colorWanted(env: Env): boolean {
  return !env.NO_COLOR;
}

export function loadStatuslineSettings(
  env: Env,
  flags: { format?: string | undefined; color?: boolean | undefined } = {},
): StatuslineSettings {
  return {
    format: parseStatuslineFormat(
      flags.format ?? env.CTM_STATUSLINE_FORMAT,
      flags.format !== undefined ? '--format' : 'CTM_STATUSLINE_FORMAT',
    ),
    // NO_COLOR (no-color.org) wins over the setting, never over an explicit --color or --no-color.
    color:
      flags.color ??
      (!env.NO_COLOR &&
        parseChoice(env.CTM_STATUSLINE_COLOR, 'CTM_STATUSLINE_COLOR', ['on', 'off'], 'off') === 'on'),
    thresholds: parseThresholds(env.CTM_STATUSLINE_THRESHOLDS, 'CTM_STATUSLINE_THRESHOLDS'),
  };
}

function splitDirs(value: string, home: string): string[] {
  const dirs = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => resolve(expandHome(part, home)));
  return [...new Set(dirs)];
}

export function resolveClaudeDirs(
  env: Env,
  flag: string | undefined,
  home = homedir(),
): Pick<Config, 'claudeDirs' | 'claudeDirsSource'> {
  const explicit = flag ?? env.CTM_CLAUDE_DIR;
  if (explicit !== undefined && explicit.trim() !== '') {
    return { claudeDirs: splitDirs(explicit, home), claudeDirsSource: 'CTM_CLAUDE_DIR' };
  }
  if (env.CLAUDE_CONFIG_DIR !== undefined && env.CLAUDE_CONFIG_DIR.trim() !== '') {
    return { claudeDirs: splitDirs(env.CLAUDE_CONFIG_DIR, home), claudeDirsSource: 'CLAUDE_CONFIG_DIR' };
  }
  return {
    claudeDirs: splitDirs(`${join(home, '.config', 'claude')},${join(home, '.claude')}`, home),
    claudeDirsSource: 'default',
  };
}

export function isValidTimezone(tz: string): boolean {
  // ICU's list of zone names is cheap to read; building a formatter loads the timezone data, tens of
  // milliseconds that every `ctm report` would pay. Names not in the list (aliases) get the full check.
  if (tz === 'UTC' || Intl.supportedValuesOf('timeZone').includes(tz)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** `local` (ccusage's `--timezone local`) names no zone: it asks for the machine's, as an unset CTM_TZ does. */
export function isLocalTimezone(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === 'local';
}

/** The zone a setting names: unset, empty or `local` is the machine's (systemTimezone, undefined when it does
 * not say, and then parseTimezone asks Intl). */
function chosenTimezone(value: string | undefined, env: Env): string | undefined {
  return !value?.trim() || isLocalTimezone(value) ? systemTimezone(env) : value;
}

export function parseTimezone(value: string | undefined, setting: string): string {
  const tz = value?.trim() || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  if (!isValidTimezone(tz))
    throw new ConfigError(
      setting,
      `unknown timezone "${tz}" (use an IANA name such as Europe/Berlin or UTC)`,
    );
  return tz;
}

function parseChoice<T extends string>(
  value: string | undefined,
  setting: string,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined || value.trim() === '') return fallback;
  const v = value.trim().toLowerCase();
  if (!(choices as readonly string[]).includes(v)) {
    throw new ConfigError(setting, `expected one of ${choices.join(', ')}, got "${value}"`);
  }
  return v as T;
}

// Field ranges of a cron expression: [seconds,] minute, hour, day of month, month, day of week (7 = Sunday).
const CRON_RANGES: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];
const CRON_NAMES: Record<number, string[]> = {
  3: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  4: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
};
const CRON_ITEM = /^(\*|(\w+)(?:-(\w+))?)(?:\/(\d+))?$/;

function cronFieldOk(field: string, index: number): boolean {
  const [min, max] = CRON_RANGES[index]!;
  const names = CRON_NAMES[index];
  const value = (token: string): number => {
    const named = names?.indexOf(token.toLowerCase()) ?? -1;
    if (named >= 0) return named + (index === 3 ? 1 : 0);
    return /^\d+$/.test(token) ? Number(token) : NaN;
  };
  return field.split(',').every((item) => {
    const m = CRON_ITEM.exec(item);
    if (!m) return false;
    if (m[4] !== undefined && Number(m[4]) < 1) return false;
    if (m[1] === '*') return true;
    const from = value(m[2]!);
    const to = m[3] === undefined ? from : value(m[3]);
    return from >= min && to <= max && from <= to;
  });
}

export function parseCron(value: string | undefined, setting: string, fallback: string): string {
  const expr = value?.trim() || fallback;
  if (expr === 'off') return expr;
  const fields = expr.split(/\s+/);
  const timeFields = fields.length === 6 ? fields.slice(1) : fields;
  const ok =
    (fields.length === 5 || fields.length === 6) &&
    (fields.length === 5 || cronFieldOk(fields[0]!, 0)) &&
    timeFields.every((f, i) => cronFieldOk(f, i));
  if (!ok) {
    throw new ConfigError(
      setting,
      `not a cron expression: "${expr}" (five fields in range, e.g. "0 * * * *", or "off")`,
    );
  }
  return expr;
}

/** CTM_ALLOWED_HOSTS: names separated by commas or spaces, lower-cased; `*.example.org` allows subdomains. */
export function parseAllowedHosts(value: string | undefined, setting: string): string[] {
  const names = (value ?? '').split(/[\s,]+/).filter((part) => part !== '');
  return [
    ...new Set(
      names.map((name) => {
        const host = name.toLowerCase().replace(/\.$/, '');
        const bare = host.startsWith('*.') ? host.slice(2) : host;
        if (!HOST_NAME.test(bare) && isIP(bare.replace(/^\[(.*)\]$/, '$1')) === 0) {
          throw new ConfigError(
            setting,
            `not a host name: "${name}" (names without scheme or port, e.g. "ctm.example.org *.lan")`,
          );
        }
        return bare.startsWith('[') ? bare.slice(1, -1) : host;
      }),
    ),
  ];
}

/** A weekday by name (`monday`, or its first three letters, any case); unset is Monday. */
export function parseWeekStart(value: string | undefined, setting: string): WeekDay {
  const name = value?.trim().toLowerCase() ?? '';
  if (name === '') return 1;
  const day = WEEKDAYS.findIndex((d) => d === name || (name.length === 3 && d.startsWith(name)));
  if (day < 0) throw new ConfigError(setting, `expected a weekday (${WEEKDAYS.join(', ')}), got "${value}"`);
  return day as WeekDay;
}

export function parseTokenLimit(value: string | undefined, setting: string): number | 'max' {
  if (value === undefined || value.trim() === '' || value.trim() === 'max') return 'max';
  if (!/^\d+$/.test(value.trim()) || Number(value) <= 0) {
    throw new ConfigError(setting, `expected a positive number of tokens or "max", got "${value}"`);
  }
  return Number(value);
}

/** `ctm statusline`'s time budget in ms: 900, or less when bin/ctm-statusline has spent part of the second
 * waiting for the server (CTM_STATUSLINE_BUDGET_MS, which only it sets). */
export function statuslineBudgetMs(env: Env): number {
  const ms = Number(env.CTM_STATUSLINE_BUDGET_MS);
  return Number.isFinite(ms) && ms > 0 ? Math.max(100, Math.min(900, ms)) : 900;
}

/** The machine's timezone read without building an Intl formatter (40–80 ms on a small VM): TZ when it is an
 * IANA name, else the zone /etc/localtime links to; undefined when neither says (then Intl decides, as ICU
 * would read the same two places). */
export function systemTimezone(env: Env): string | undefined {
  const utc = (name: string) => (/^(Etc\/)?(UTC|UCT|Universal|Zulu)$/.test(name) ? 'UTC' : name);
  const listed = (name: string) => name === 'UTC' || Intl.supportedValuesOf('timeZone').includes(name);
  const tz = env.TZ?.trim().replace(/^:/, '');
  if (tz) return listed(utc(tz)) ? utc(tz) : posixFixedZone(tz);
  try {
    const zone = /\/zoneinfo\/(.+)$/.exec(
      process.getBuiltinModule('node:fs').readlinkSync('/etc/localtime'),
    )?.[1];
    return zone && listed(utc(zone)) ? utc(zone) : undefined;
  } catch {
    return undefined;
  }
}

/** A POSIX TZ of a fixed whole-hour offset (`UTC+3`, `JST-9`, `<+04>-4`: no daylight-saving part) as the IANA
 * zone of that offset (`Etc/GMT+3`, `Etc/GMT-9`, `Etc/GMT-4`: POSIX and Etc/GMT count hours west alike), which
 * ICU cannot name by itself; undefined for anything else (a rule with daylight saving, a fractional offset). */
export function posixFixedZone(tz: string): string | undefined {
  const m = /^(?:[A-Za-z]{3,}|<[A-Za-z0-9+-]{1,10}>)([+-]?)(\d{1,2})(?::00(?::00)?)?$/.exec(tz);
  if (!m) return undefined;
  const hours = Number(m[2]);
  if (hours === 0) return 'UTC';
  const west = m[1] !== '-';
  if (hours > (west ? 12 : 14)) return undefined;
  return `Etc/GMT${west ? '+' : '-'}${hours}`;
}

/** What `ctm statusline` reads of the configuration, checked as loadConfig checks it (the same messages), and
 * nothing more: a status line is no place to stop over CTM_PORT. An unset CTM_TZ is the machine's zone as
 * systemTimezone reads it. */
export type StatuslineConfig = Pick<Config, 'dataDir' | 'dbPath' | 'timezone' | 'costMode' | 'pricingFile'>;

export function loadStatuslineConfig(
  env: Env,
  flags: Pick<Flags, 'dataDir'> = {},
  home = homedir(),
): StatuslineConfig {
  const dataDir = resolve(expandHome(flags.dataDir ?? (env.CTM_DATA_DIR?.trim() || './data'), home));
  return {
    dataDir,
    dbPath: join(dataDir, 'ctm.db'),
    timezone: parseTimezone(chosenTimezone(env.CTM_TZ, env), 'CTM_TZ'),
    costMode: parseChoice(env.CTM_COST_MODE, 'CTM_COST_MODE', ['auto', 'calculate', 'display'], 'auto'),
    pricingFile: env.CTM_PRICING_FILE?.trim()
      ? resolve(expandHome(env.CTM_PRICING_FILE.trim(), home))
      : undefined,
  };
}

export function loadConfig(env: Env, flags: Flags = {}, home = homedir()): Config {
  const dataDir = resolve(expandHome(flags.dataDir ?? (env.CTM_DATA_DIR?.trim() || './data'), home));
  const pricingFile = env.CTM_PRICING_FILE?.trim()
    ? resolve(expandHome(env.CTM_PRICING_FILE.trim(), home))
    : undefined;
  const host = parseHost(flags.host ?? env.CTM_HOST, flags.host ? '--host' : 'CTM_HOST', '127.0.0.1');
  return {
    ...resolveClaudeDirs(env, flags.claudeDir, home),
    dataDir,
    dbPath: join(dataDir, 'ctm.db'),
    // An unset CTM_TZ (or `local`) is the machine's zone, read as the status line reads it: Intl's own answer
    // costs every command 10-80 ms of loading timezone data, and is asked only where TZ and /etc/localtime do
    // not say.
    timezone: parseTimezone(
      chosenTimezone(flags.timezone ?? env.CTM_TZ, env),
      flags.timezone ? '--timezone' : 'CTM_TZ',
    ),
    pricingFile,
    costMode: parseChoice(
      flags.costMode ?? env.CTM_COST_MODE,
      'CTM_COST_MODE',
      ['auto', 'calculate', 'display'],
      'auto',
    ),
    host,
    allowedHosts: parseAllowedHosts(env.CTM_ALLOWED_HOSTS, 'CTM_ALLOWED_HOSTS'),
    port: parseInteger(flags.port ?? env.CTM_PORT, 'CTM_PORT', 51888, 1, 65535),
    logLevel: parseChoice(env.CTM_LOG_LEVEL, 'CTM_LOG_LEVEL', ['debug', 'info', 'warn', 'error'], 'info'),
    rebuildCron: parseCron(env.CTM_REBUILD_CRON, 'CTM_REBUILD_CRON', '0 * * * *'),
    snapshotCron: parseCron(env.CTM_SNAPSHOT_CRON, 'CTM_SNAPSHOT_CRON', '5 0 * * *'),
    snapshotKeep: parseInteger(env.CTM_SNAPSHOT_KEEP, 'CTM_SNAPSHOT_KEEP', 30, 1, 100000),
    tokenLimit: parseTokenLimit(env.CTM_TOKEN_LIMIT, 'CTM_TOKEN_LIMIT'),
    rescanSeconds: parseInteger(env.CTM_RESCAN_SECONDS, 'CTM_RESCAN_SECONDS', 60, 1, 86400),
    weekStart: parseWeekStart(
      flags.startOfWeek ?? env.CTM_WEEK_START,
      flags.startOfWeek !== undefined ? '--start-of-week' : 'CTM_WEEK_START',
    ),
    ...loadTeamConfig(env, flags, host, home),
  };
}
