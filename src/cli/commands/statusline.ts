// `ctm statusline`: Claude Code's status-line command. Reads the JSON document on stdin, records the official
// limits it carries (limits.db, only what changed), and prints one line: the model, the session's, today's and
// the active block's figures from the index plus the transcript's unindexed tail, the limits, the context.
// It always exits 0 with a useful line and writes nothing to stderr: bad input, a missing or locked index and a
// bad setting become notes on the line. Every wait is bounded, and a watchdog prints what it has at 900 ms.
// `--print-config` prints the settings.json snippet instead; ctm never writes into the Claude dir.
import {
  ConfigError,
  loadStatuslineConfig,
  loadStatuslineSettings,
  parseStatuslineFormat,
  type StatuslineConfig,
  type StatuslineSettings,
} from '../../config.ts';
import type { Db } from '../../db/open.ts';
import { parseStatusInput, type StatusInput } from '../../statusline/status-input.ts';
import { renderLine, type LineData, type ShownLimit } from '../../statusline/render-line.ts';

const { existsSync } = process.getBuiltinModule('node:fs');
const { fileURLToPath } = process.getBuiltinModule('node:url');

/** The command's whole budget: Claude Code waits for the line, and the issue allows a second at most. */
export const BUDGET_MS = 900;
/** How long to wait for stdin's end: Claude Code writes the document at once and closes the pipe. */
const STDIN_MS = 250;

const HELP = `Usage: ctm statusline [--format PARTS] [--color | --no-color] [--print-config]

Claude Code's status-line command: reads its JSON document on stdin, prints one line.
  --format PARTS   parts in order, from: model session today block 5h 7d spend ctx cache
                   (default CTM_STATUSLINE_FORMAT, else all but cache)
  --color          ANSI colours (also CTM_STATUSLINE_COLOR=on); limits turn yellow, then red at
                   CTM_STATUSLINE_THRESHOLDS (default 70,90)
  --print-config   print the "statusLine" entry for Claude Code's settings.json
`;

interface Args {
  format?: string;
  color?: boolean;
  printConfig: boolean;
  help: boolean;
  dataDir?: string;
  unknown: string[];
}

/** Parsed by hand, leniently: a mistyped option in settings.json must still give a line, saying so. */
function parseArgs(args: string[]): Args {
  const a: Args = { printConfig: false, help: false, unknown: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => inline ?? args[++i];
    if (flag === '--format' || flag === '-f') a.format = value() ?? '';
    else if (flag === '--data-dir') a.dataDir = value();
    else if (flag === '--color' || flag === '--colour') a.color = true;
    else if (flag === '--no-color' || flag === '--no-colour') a.color = false;
    else if (flag === '--print-config') a.printConfig = true;
    else if (flag === '--help' || flag === '-h') a.help = true;
    else a.unknown.push(arg);
  }
  return a;
}

/** All of stdin, or what came before the deadline. A pipe is read through a non-blocking descriptor of its
 * own, polled: process.stdin would load the socket and stream machinery, 5–8 ms of the budget. */
async function readStdin(deadline: number): Promise<string> {
  const fs = process.getBuiltinModule('node:fs');
  let stat;
  try {
    stat = fs.fstatSync(0);
  } catch {
    return ''; // no stdin at all
  }
  if (stat.isFile()) return fs.readFileSync(0, 'utf8');
  // A terminal: someone trying the command by hand; there is no document to wait for.
  if (stat.isCharacterDevice() && process.getBuiltinModule('node:tty').isatty(0)) return '';
  let fd: number;
  try {
    fd = fs.openSync('/dev/stdin', fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch {
    // A socket (Node's child_process pipes are socket pairs), or no /dev/stdin (Windows): the stream, 5 ms
    // dearer but with a timeout all the same.
    return streamStdin(deadline);
  }
  const chunks: Buffer[] = [];
  const buf = Buffer.allocUnsafe(1 << 16);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  try {
    for (;;) {
      try {
        const n = fs.readSync(fd, buf, 0, buf.length, null);
        if (n === 0) break;
        chunks.push(Buffer.from(buf.subarray(0, n)));
      } catch (error) {
        if (errorCode(error) !== 'EAGAIN' || Date.now() >= deadline) break;
        Atomics.wait(pause, 0, 0, 1);
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function streamStdin(deadline: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      process.stdin.removeAllListeners();
      // A writer that never closes must not keep the process alive after the line.
      process.stdin.destroy();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
    process.stdin.on('data', (b: Buffer) => chunks.push(b));
    process.stdin.on('end', done);
    process.stdin.on('error', done);
  });
}

const errorCode = (error: unknown): string => (error as { code?: string }).code ?? '';

function settingsOrNote(env: NodeJS.ProcessEnv, a: Args, notes: string[]): StatuslineSettings {
  try {
    return loadStatuslineSettings(env, { format: a.format, color: a.color });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    notes.push(error.message);
    let format;
    try {
      format = parseStatuslineFormat(a.format, '--format');
    } catch {
      format = parseStatuslineFormat(undefined, 'CTM_STATUSLINE_FORMAT');
    }
    return { format, color: a.color ?? false, thresholds: { warn: 70, alert: 90 } };
  }
}

/** Records what the input says of the limits, and returns the windows to show: this call's, else the last
 * reading the history holds while its reset is still ahead. */
async function officialLimits(
  config: StatuslineConfig,
  input: StatusInput,
  now: number,
  deadline: number,
): Promise<Record<string, ShownLimit>> {
  const shown: Record<string, ShownLimit> = {};
  for (const [name, w] of Object.entries(input.rateLimits)) shown[name] = { ...w, fromHistory: false };
  const missing = ['five_hour', 'seven_day', 'spend_limit'].filter((n) => !shown[n]);
  const record = Object.keys(input.rateLimits).length > 0 || input.promptCache !== null;
  if (!record && missing.length === 0) return shown;
  const limits = await import('../../db/limits/open-limits.ts');
  let reader: Db | null = null;
  let writer: Db | null = null;
  try {
    reader = limits.openLimitsReader(config.dataDir, Math.max(1, Math.min(100, deadline - Date.now())));
    if (record) {
      const { newReadings, hasNew, insertReadings } = await import('../../db/limits/record-observation.ts');
      const readings = newReadings(reader, {
        sessionId: input.sessionId,
        rateLimits: input.rateLimits,
        promptCache: input.promptCache,
        at: now,
      });
      // Most calls see nothing new: they never open the store for writing.
      if (hasNew(readings)) {
        writer = await limits.openLimitsWriter(config.dataDir, deadline);
        insertReadings(writer, readings, deadline);
      }
    }
    const db = writer ?? reader;
    if (missing.length && db) {
      const { currentReading } = await import('../../db/limits/limit-readings.ts');
      for (const name of missing) {
        const r = currentReading(db, name);
        if (r && r.resetsAt > now) shown[name] = { ...r, fromHistory: true };
      }
    }
  } catch {
    // The history is a side job: an unwritable data dir or a busy store leaves the line as it is.
  } finally {
    reader?.close();
    writer?.close();
  }
  return shown;
}

async function indexFigures(
  config: StatuslineConfig,
  input: StatusInput,
  now: number,
  deadline: number,
  notes: string[],
) {
  if (!existsSync(config.dbPath)) {
    notes.push(`no index at ${config.dbPath} (run \`ctm ingest\`)`);
    return null;
  }
  const [{ openLightDb }, { usageFigures }, { cachedPricing }] = await Promise.all([
    import('../../db/builtin-sqlite.ts'),
    import('../../statusline/usage-figures.ts'),
    import('../../pricing/cached-pricing.ts'),
  ]);
  let db: Db | null = null;
  try {
    // Not openDb: its five-second busy timeout is for reports; a status line waits 150 ms at most.
    db = openLightDb(config.dbPath, {
      readonly: true,
      timeoutMs: Math.max(1, Math.min(150, deadline - Date.now())),
    });
    db.pragma('query_only = ON');
    let pricingNote: string | null = null;
    const figures = await usageFigures(db, input, {
      costMode: config.costMode,
      now,
      deadline,
      pricing: async () => {
        try {
          return await cachedPricing(`${config.dataDir}/cache`, config.pricingFile);
        } catch (error) {
          pricingNote = error instanceof ConfigError ? error.message : `prices: ${(error as Error).message}`;
          return null;
        }
      },
    });
    if (pricingNote) notes.push(pricingNote);
    if (figures.transcriptMissing) notes.push('transcript not found');
    return figures;
  } catch (error) {
    const code = errorCode(error);
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
      notes.push('index busy, try again');
    else notes.push(`index unreadable (${(error as Error).message.split('\n')[0]})`);
    return null;
  } finally {
    db?.close();
  }
}

function problemNote(input: StatusInput): string | null {
  if (input.problem === 'empty') return 'no status input on stdin';
  if (input.problem === 'not_json') return 'status input is not whole JSON';
  if (input.problem === 'not_an_object') return 'status input is not a JSON object';
  return null;
}

async function statusLine(
  a: Args,
  started: number,
  deadline: number,
  progress: { line: string },
): Promise<string> {
  const notes: string[] = [];
  if (a.unknown.length) notes.push(`statusline: unknown option ${a.unknown[0]}`);
  const input = parseStatusInput(await readStdin(Math.min(deadline, started + STDIN_MS)));
  const problem = problemNote(input);
  if (problem) notes.push(problem);
  const settings = settingsOrNote(process.env, a, notes);
  const now = Date.now();
  const data: LineData = { input, figures: null, limits: {}, notes, now };
  for (const [name, w] of Object.entries(input.rateLimits)) data.limits[name] = { ...w, fromHistory: false };
  progress.line = renderLine(data, settings);
  let config: StatuslineConfig;
  try {
    config = loadStatuslineConfig(process.env, a.dataDir ? { dataDir: a.dataDir } : {});
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    notes.push(error.message);
    return renderLine(data, settings);
  }
  // Date's local getters follow TZ: set to the configured zone, they give its days and clock times without
  // an Intl formatter.
  process.env.TZ = config.timezone;
  data.limits = await officialLimits(config, input, now, deadline);
  progress.line = renderLine(data, settings);
  data.figures = await indexFigures(config, input, now, deadline, notes);
  return renderLine(data, settings);
}

function printConfig(a: Args): number {
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const config = loadStatuslineConfig(process.env, a.dataDir ? { dataDir: a.dataDir } : {});
  // The command runs in the session's directory with Claude Code's environment: the data dir is made absolute
  // and the settings this shell has are carried along.
  const env: [string, string][] = [['CTM_DATA_DIR', config.dataDir]];
  for (const name of [
    'CTM_TZ',
    'CTM_COST_MODE',
    'CTM_PRICING_FILE',
    'CTM_STATUSLINE_FORMAT',
    'CTM_STATUSLINE_THRESHOLDS',
  ]) {
    const value = process.env[name]?.trim();
    if (value) env.push([name, name === 'CTM_PRICING_FILE' ? config.pricingFile! : value]);
  }
  const bin = fileURLToPath(new URL('../../../bin/ctm.js', import.meta.url));
  const flags = [
    ...(a.format !== undefined ? ['--format', a.format] : []),
    ...(a.color === false ? [] : ['--color']),
  ];
  const command = [
    ...env.map(([k, v]) => `${k}=${quote(v)}`),
    quote(process.execPath),
    quote(bin),
    'statusline',
    ...flags.map(quote),
  ].join(' ');
  process.stdout.write(
    JSON.stringify({ statusLine: { type: 'command', command, padding: 0 } }, null, 2) + '\n',
  );
  return 0;
}

export async function statuslineCommand(args: string[]): Promise<number> {
  const started = Date.now();
  const a = parseArgs(args);
  if (a.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (a.printConfig) return printConfig(a);
  const deadline = started + BUDGET_MS - 50;
  const progress = { line: 'ctm' };
  // Whatever is still running at the budget's end (a stuck import, a slow disk), the line so far goes out.
  const watchdog = setTimeout(() => {
    process.stdout.write(`${progress.line}\n`, () => process.exit(0));
  }, BUDGET_MS);
  watchdog.unref();
  let line: string;
  try {
    line = await statusLine(a, started, deadline, progress);
  } catch (error) {
    line = `${progress.line} · ctm: ${(error as Error).message.split('\n')[0]}`;
  }
  clearTimeout(watchdog);
  process.stdout.write(`${line}\n`);
  return 0;
}
