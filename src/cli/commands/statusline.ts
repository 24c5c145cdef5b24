// `ctm statusline`: Claude Code's status-line command. Reads the JSON document on stdin, records the official
// limits it carries (limits.db, only what changed), and prints one line: the model, the session's, today's and
// the active block's figures from the index plus the transcript's unindexed tail, the limits, the context.
// It always exits 0 with a useful line and writes nothing to stderr: bad input, a missing or locked index and a
// bad setting become notes on the line. Every wait is bounded, and a watchdog prints what it has at 900 ms.
// `--print-config` prints the settings.json snippet instead; ctm never writes into the Claude dir.
import {
  carriedStatuslineSettings,
  ConfigError,
  loadStatuslineConfig,
  statuslineBudgetMs,
  type StatuslineConfig,
} from '../../config.ts';
import { terminalSafeLine } from '../../format/terminal-safe.ts';
import { dateClock } from '../../statusline/local-clock.ts';
import { MAX_INPUT_BYTES } from '../../statusline/status-input.ts';
import { makeStatusLine, type LineStores } from '../../statusline/status-line.ts';

const { fileURLToPath } = process.getBuiltinModule('node:url');

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

interface Stdin {
  text: string;
  /** Stopped at MAX_INPUT_BYTES: more was coming. */
  tooLarge: boolean;
}

/** All of stdin, or what came before the deadline or the byte cap (a stdin that never ends, /dev/zero, must
 * not keep the call or fill its memory). A pipe is read through a non-blocking descriptor of its own, polled:
 * process.stdin would load the socket and stream machinery, 5–8 ms of the budget. */
async function readStdin(deadline: number): Promise<Stdin> {
  const fs = process.getBuiltinModule('node:fs');
  let stat;
  try {
    stat = fs.fstatSync(0);
  } catch {
    return { text: '', tooLarge: false }; // no stdin at all
  }
  if (stat.isFile()) return readCapped(0, deadline);
  // A terminal: someone trying the command by hand; there is no document to wait for.
  if (stat.isCharacterDevice() && process.getBuiltinModule('node:tty').isatty(0))
    return { text: '', tooLarge: false };
  let fd: number;
  try {
    fd = fs.openSync('/dev/stdin', fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch {
    // A socket (Node's child_process pipes are socket pairs), or no /dev/stdin (Windows): the stream, 5 ms
    // dearer but with a timeout all the same.
    return streamStdin(deadline);
  }
  try {
    return readCapped(fd, deadline);
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads fd to its end, the deadline (checked on every read) or one byte past MAX_INPUT_BYTES. */
function readCapped(fd: number, deadline: number): Stdin {
  const fs = process.getBuiltinModule('node:fs');
  const chunks: Buffer[] = [];
  let size = 0;
  const buf = Buffer.allocUnsafe(1 << 16);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (size <= MAX_INPUT_BYTES && Date.now() < deadline) {
    try {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(Buffer.from(buf.subarray(0, n)));
      size += n;
    } catch (error) {
      if (errorCode(error) !== 'EAGAIN') break;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
  return stdinOf(chunks, size);
}

function stdinOf(chunks: Buffer[], size: number): Stdin {
  const tooLarge = size > MAX_INPUT_BYTES;
  const all = Buffer.concat(chunks);
  return { text: (tooLarge ? all.subarray(0, MAX_INPUT_BYTES) : all).toString('utf8'), tooLarge };
}

function streamStdin(deadline: number): Promise<Stdin> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      clearTimeout(timer);
      process.stdin.removeAllListeners();
      // A writer that never closes must not keep the process alive after the line.
      process.stdin.destroy();
      resolve(stdinOf(chunks, size));
    };
    const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
    process.stdin.on('data', (b: Buffer) => {
      chunks.push(b);
      size += b.length;
      if (size > MAX_INPUT_BYTES) done();
    });
    process.stdin.on('end', done);
    process.stdin.on('error', done);
  });
}

const errorCode = (error: unknown): string => (error as { code?: string }).code ?? '';

/** Connections of this one call: opened with short busy timeouts, closed when the line is made. */
async function processStores(config: StatuslineConfig | ConfigError): Promise<LineStores> {
  const [{ openLightDb }, limits] = await Promise.all([
    import('../../db/builtin-sqlite.ts'),
    import('../../db/limits/open-limits.ts'),
  ]);
  const dataDir = config instanceof ConfigError ? '' : config.dataDir;
  const busyMs = (deadline: number, most: number) => Math.max(1, Math.min(most, deadline - Date.now()));
  return {
    limitsReader: (deadline) => limits.openLimitsReader(dataDir, busyMs(deadline, 100)),
    limitsWriter: (deadline) => limits.openLimitsWriter(dataDir, deadline),
    index(deadline) {
      // Not openDb: its five-second busy timeout is for reports; a status line waits 150 ms at most.
      const db = openLightDb((config as StatuslineConfig).dbPath, {
        readonly: true,
        timeoutMs: busyMs(deadline, 150),
      });
      db.pragma('query_only = ON');
      return db;
    },
    release: (db) => db.close(),
    clock: dateClock,
  };
}

async function statusLine(
  a: Args,
  started: number,
  deadline: number,
  progress: { line: string },
): Promise<string> {
  const { text, tooLarge } = await readStdin(Math.min(deadline, started + STDIN_MS));
  let config: StatuslineConfig | ConfigError;
  try {
    config = loadStatuslineConfig(process.env, a.dataDir ? { dataDir: a.dataDir } : {});
    // Date's local getters follow TZ: set to the configured zone, they give its days and clock times without
    // an Intl formatter.
    process.env.TZ = config.timezone;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    config = error;
  }
  const request = {
    text,
    tooLarge,
    format: a.format,
    color: a.color,
    unknown: a.unknown,
    env: process.env,
    config,
  };
  return makeStatusLine(request, await processStores(config), deadline, progress);
}

function printConfig(a: Args): number {
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const config = loadStatuslineConfig(process.env, a.dataDir ? { dataDir: a.dataDir } : {});
  // The command runs in the session's directory with Claude Code's environment: the data dir is made absolute
  // and the settings this shell has are carried along.
  const env: [string, string][] = [
    ['CTM_DATA_DIR', config.dataDir],
    ...carriedStatuslineSettings(process.env, config),
  ];
  // bin/ctm-statusline: through `ctm start`'s socket when it runs, else `ctm statusline` on this Node.
  const script = fileURLToPath(new URL('../../../bin/ctm-statusline', import.meta.url));
  env.push(['CTM_NODE', process.execPath]);
  const flags = [
    ...(a.format !== undefined ? ['--format', a.format] : []),
    ...(a.color === false ? [] : ['--color']),
  ];
  const command = [...env.map(([k, v]) => `${k}=${quote(v)}`), quote(script), ...flags.map(quote)].join(' ');
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
  // Node's warnings go to stderr, which a status line keeps clean.
  process.removeAllListeners('warning');
  // Claude Code waits for the line: the command has a second at most, 900 ms of it here (less when
  // bin/ctm-statusline spent some waiting for the server).
  const budget = statuslineBudgetMs(process.env);
  const deadline = started + budget - 50;
  const progress = { line: 'ctm' };
  // Whatever is still running at the budget's end (a stuck import, a slow disk), the line so far goes out.
  const watchdog = setTimeout(() => {
    process.stdout.write(`${progress.line}\n`, () => process.exit(0));
  }, budget);
  watchdog.unref();
  let line: string;
  try {
    line = await statusLine(a, started, deadline, progress);
  } catch (error) {
    line = `${progress.line} · ctm: ${terminalSafeLine((error as Error).message.split('\n')[0]!, 240)}`;
  }
  clearTimeout(watchdog);
  process.stdout.write(`${line}\n`);
  return 0;
}
