// The `ctm` command: parses the subcommand and hands over to its module (loaded lazily so a report does not
// pay for the ingest or server code). Configuration errors print one line naming the setting and exit 2.
import { ConfigError } from '../config.ts';
import { UsageError } from './usage-error.ts';

const USAGE = `Usage: ctm <command> [options]

Commands:
  ingest [--once]            index Claude Code logs into SQLite (watch mode unless --once)
  report <kind> [options]    daily | weekly | monthly | session | blocks, as tables or ccusage's JSON
      -j, --json             -s, --since DATE       -u, --until DATE       --last N
      -z, --timezone TZ      -p, --project NAME     -b, --breakdown        -o, --order asc|desc
      -m, --mode auto|calculate|display             -w, --start-of-week DAY (weekly; CTM_WEEK_START)
      -t, --token-limit N|max (blocks)              \`ctm report --help\` for all of them
  prices [--json]            the price table in effect and the models seen without a price
  build                      build the report site and publish it atomically
  snapshot                   archive the current site
  check                      verify the index, rebuild its rollup where it differs from the messages
  start [--push URL]         ingest, refresh, schedule and serve (the main job); a hub with CTM_INGEST_TOKENS
  push [--no-ingest]         send the index to a hub (CTM_PUSH_URL or --url, CTM_PUSH_TOKEN)
  statusline                 Claude Code's status line: its JSON on stdin → one line (--print-config)
  watch                      a live view in the terminal, refreshed every second (q quits)

Environment: CTM_CLAUDE_DIR, CTM_DATA_DIR, CTM_TZ, CTM_WEEK_START, CTM_PRICING_FILE, CTM_COST_MODE, … (see README)
start and build take --start-of-week DAY too, for the site's weeks.
`;

type Command = (args: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  ingest: async () => (await import('./commands/ingest.ts')).ingestCommand,
  report: async () => (await import('./commands/report.ts')).reportCommand,
  prices: async () => (await import('./commands/prices.ts')).pricesCommand,
  build: async () => (await import('./commands/build.ts')).buildCommand,
  snapshot: async () => (await import('./commands/snapshot.ts')).snapshotCommand,
  check: async () => (await import('./commands/check.ts')).checkCommand,
  start: async () => (await import('./commands/start.ts')).startCommand,
  push: async () => (await import('./commands/push.ts')).pushCommand,
  statusline: async () => (await import('./commands/statusline.ts')).statuslineCommand,
  watch: async () => (await import('./commands/watch.ts')).watchCommand,
};

/** `ctm report … | head` closes the pipe early: that ends the output, it is not an error. */
function quietOnClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
}

export async function main(argv: string[]): Promise<number> {
  process.stdout.on('error', quietOnClosedPipe);
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    const { version } = await import('../version.ts');
    process.stdout.write(`${version}\n`);
    return 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`ctm: unknown command "${name}" (see \`ctm --help\`)\n`);
    return 2;
  }
  try {
    return await (
      await load()
    )(rest);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UsageError) {
      process.stderr.write(`ctm: ${error.message.split('\n')[0]}\n`);
      return 2;
    }
    const parseCode = (error as { code?: string }).code ?? '';
    if (parseCode.startsWith('ERR_PARSE_ARGS')) {
      const message = (error as Error).message.split('\n')[0]!;
      const unknown = parseCode === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && /'([^']+)'/.exec(message)?.[1];
      const what = unknown ? `unknown option ${unknown}` : message.replace(/\.$/, '');
      process.stderr.write(`ctm: ${name}: ${what} (see \`ctm --help\`)\n`);
      return 2;
    }
    // A database that went bad after it was opened (corrupt pages, disk full, read-only) is the data dir's
    // problem, not a crash: one line naming the setting.
    const sqliteCode = (error as { code?: string }).code ?? '';
    if (sqliteCode.startsWith('SQLITE_BUSY')) {
      process.stderr.write(
        'ctm: CTM_DATA_DIR: the index database stayed locked (another ctm is writing to it)\n',
      );
      return 2;
    }
    if (/^SQLITE_(CORRUPT|NOTADB|READONLY|CANTOPEN|FULL|IOERR)/.test(sqliteCode)) {
      process.stderr.write(
        `ctm: CTM_DATA_DIR: the index database cannot be used (${(error as Error).message}); ` +
          'move ctm.db aside and run `ctm ingest --once` to rebuild it\n',
      );
      return 2;
    }
    throw error;
  }
}
