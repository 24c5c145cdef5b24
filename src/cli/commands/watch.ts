// `ctm watch`: a live terminal view of the index, redrawn once a second: the active block with a gauge, burn
// rate and projection, the official limits when the status line has recorded them, today so far, the last
// requests. Full screen in a terminal (the alternate screen, `q` or Ctrl-C quits, the terminal is restored
// however it ends, a resize redraws); one plain line a second when stdout is not a terminal. Reads only:
// the index and limits.db, read-only, so it runs beside `ctm start` or `ctm ingest` and over SSH.
import { colorWanted, loadConfig, loadStatuslineSettings } from '../../config.ts';
import { openDb, type Db } from '../../db/open.ts';
import { openLimitsReader } from '../../db/limits/open-limits.ts';
import { computeMaxBlockTokens, type MaxBlockState } from '../../server/max-block-tokens.ts';
import { liveSnapshot } from '../../server/live-snapshot.ts';
import { officialLimits } from '../../server/official-limits.ts';
import { plainLine, watchScreen } from '../../watch/watch-screen.ts';
import { UsageError } from '../usage-error.ts';
import { terminalSafeData } from '../../format/terminal-safe.ts';

const { existsSync } = process.getBuiltinModule('node:fs');
const { parseArgs } = process.getBuiltinModule('node:util');

const HELP = `Usage: ctm watch [--once] [--data-dir DIR]

A live view of the index in the terminal, refreshed every second; q quits.
When stdout is not a terminal it prints one plain line a second (--once: one line, then exits).
`;
const REFRESH_MS = 1000;
const ALT_ON = '\x1b[?1049h\x1b[?25l';
const ALT_OFF = '\x1b[?25h\x1b[?1049l';

export async function watchCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      once: { type: 'boolean' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const config = loadConfig(process.env, values['data-dir'] ? { dataDir: values['data-dir'] } : {});
  const { thresholds } = loadStatuslineSettings(process.env);
  if (!existsSync(config.dbPath)) {
    throw new UsageError(`no index at ${config.dbPath}; run \`ctm ingest\` (or \`ctm start\`) first`);
  }
  const db = openDb(config.dbPath, { readonly: true });
  let limits: Db | null = null;
  let max: MaxBlockState | undefined;
  const snapshot = () => {
    const now = Date.now();
    // The "max" token limit resumes from its last block: a year is read once, at start.
    max = computeMaxBlockTokens(db, now, max);
    if (!limits?.open) limits = openLimitsReader(config.dataDir);
    return liveSnapshot(db, {
      timezone: config.timezone,
      costMode: config.costMode,
      tokenLimit: config.tokenLimit,
      maxBlockTokens: max.max,
      now,
      lastIngestAt: lastIngest(db),
      lastBuildAt: null,
      officialLimits: officialLimits(limits, now),
    });
  };
  const close = () => {
    db.close();
    (limits as Db | null)?.close();
  };

  const tty = process.stdout.isTTY === true;
  if (!tty || values.once) {
    try {
      process.stdout.write(plainLine(terminalSafeData(snapshot())) + '\n');
      if (values.once) return 0;
      await new Promise<void>((resolve) => {
        const timer = setInterval(
          () => process.stdout.write(plainLine(terminalSafeData(snapshot())) + '\n'),
          REFRESH_MS,
        );
        const stop = () => {
          clearInterval(timer);
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        process.stdout.once('error', stop);
      });
      return 0;
    } finally {
      close();
    }
  }

  const color = colorWanted(process.env);
  const draw = () => {
    let lines: string[];
    try {
      // Names from the transcripts are shown safe for a terminal (the screen's own escapes come after).
      lines = watchScreen(terminalSafeData(snapshot()), {
        cols: process.stdout.columns || 80,
        rows: process.stdout.rows || 24,
        color,
        thresholds,
      });
    } catch (error) {
      // A busy moment of the index (a writer's checkpoint): the next second tries again.
      lines = [`ctm watch: ${(error as Error).message.split('\n')[0]}`];
    }
    // Home, then each line over the last one with the rest of it cleared: no flicker, no scroll.
    process.stdout.write('\x1b[H' + lines.map((l) => `${l}\x1b[K`).join('\r\n') + '\x1b[J');
  };
  process.stdout.write(ALT_ON);
  const restore = () => process.stdout.write(ALT_OFF);
  process.once('exit', restore);
  try {
    await new Promise<void>((resolve) => {
      const timer = setInterval(draw, REFRESH_MS);
      const stop = () => {
        clearInterval(timer);
        process.stdout.off('resize', draw);
        if (process.stdin.isTTY) process.stdin.setRawMode(false);
        process.stdin.pause();
        resolve();
      };
      process.stdout.on('resize', draw);
      process.once('SIGTERM', stop);
      process.once('SIGHUP', stop);
      if (process.stdin.isTTY) {
        process.stdin.setRawMode(true);
        process.stdin.on('data', (key: Buffer) => {
          // q, Q, Ctrl-C, Ctrl-D: raw mode turns Ctrl-C into a byte instead of SIGINT.
          if ([0x71, 0x51, 0x03, 0x04].includes(key[0]!)) stop();
        });
      } else process.once('SIGINT', stop);
      draw();
    });
  } finally {
    restore();
    process.off('exit', restore);
    close();
  }
  return 0;
}

function lastIngest(db: Db): number | null {
  const row = db.prepare('SELECT max(finished_at) AS at FROM ingest_runs').get() as { at: number | null };
  return row.at;
}
