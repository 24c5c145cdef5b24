// `ctm ingest [--once]`: one pass, or a pass followed by watch mode until SIGINT/SIGTERM. The first pass shows
// its progress on stderr (a bar on a terminal, JSON lines otherwise) and ends with the summary and one line on
// what the index holds and where to look.
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.ts';
import { existsSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { openDb } from '../../db/open.ts';
import { startReaders } from '../../../ingest/parallel-reader.ts';
import { createLogger } from '../../log.ts';
import { formatBytes, formatInt } from '../../format/number.ts';
import { createIngester, firstPassApart, usableClaudeDirs } from '../../../ingest/ingester.ts';
import type { PassProgress, PassSummary } from '../../../ingest/ingest-pass.ts';
import { createProgressReport, createTerminalBar } from '../../progress-report.ts';
import { readyLine } from '../../ready-line.ts';
import { usageSpan } from '../../db/queries/usage-span.ts';
import {
  statsCacheDisagreements,
  type StatsCacheDisagreement,
} from '../../db/queries/stats-cache-disagreements.ts';
import { terminalSafe } from '../../format/terminal-safe.ts';

export function describePass(s: PassSummary): string {
  const seconds = Math.max(0.001, (s.finishedAt - s.startedAt) / 1000);
  const skipped = Object.entries(s.skipped)
    .map(([reason, n]) => `${reason} ${formatInt(n)}`)
    .join(', ');
  return (
    `${formatInt(s.filesScanned)} files (${formatInt(s.filesRead)} read), ${formatInt(s.lines)} lines, ` +
    `${formatInt(s.newMessages)} new messages, ${formatInt(s.replacedMessages)} updated, ` +
    `${formatBytes(s.bytesRead)} in ${seconds.toFixed(2)} s (${(s.bytesRead / 1e6 / seconds).toFixed(0)} MB/s)` +
    (skipped ? `; skipped: ${skipped}` : '; nothing skipped') +
    describeIgnored(s.ignoredTypes) +
    (s.ignoredFiles > 0
      ? `; ${formatInt(s.ignoredFiles)} other .jsonl file${s.ignoredFiles === 1 ? '' : 's'} ignored (not transcripts)`
      : '')
  );
}

/** Lines that are not usage (user, summary, attachment, …), by type, the most frequent first. */
function describeIgnored(types: Readonly<Record<string, number>>): string {
  const sorted = Object.entries(types).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (sorted.length === 0) return '';
  const shown = sorted.slice(0, 8).map(([type, n]) => `${type} ${formatInt(n)}`);
  if (sorted.length > 8) shown.push(`${sorted.length - 8} more types`);
  return `; other lines: ${shown.join(', ')}`;
}

/**
 * One line on where stats-cache.json disagrees with the transcripts, or nothing when it agrees (or is absent).
 * Day/model pairs the transcripts no longer have (deleted before ctm indexed them) are only counted; real
 * differences name the largest one.
 */
export function describeStatsCache(rows: readonly StatsCacheDisagreement[]): string | undefined {
  const missing = rows.filter((r) => r.transcriptTokens === 0);
  const differ = rows
    .filter((r) => r.transcriptTokens !== 0)
    .sort(
      (a, b) =>
        Math.abs(b.statsCacheTokens - b.transcriptTokens) - Math.abs(a.statsCacheTokens - a.transcriptTokens),
    );
  const parts: string[] = [];
  const d = differ[0];
  if (d) {
    parts.push(
      `disagrees with the transcripts on ${formatInt(differ.length)} day/model pair${differ.length === 1 ? '' : 's'} ` +
        `(largest: ${d.date} ${d.model}: stats-cache ${formatInt(d.statsCacheTokens)}, transcripts ` +
        `${formatInt(d.transcriptTokens)} ${d.tokenKinds === 'all' ? 'tokens of all four kinds' : 'input+output tokens'})`,
    );
  }
  if (missing.length > 0) {
    parts.push(
      `lists ${formatInt(missing.length)} day/model pair${missing.length === 1 ? '' : 's'} with no transcripts ` +
        `left (from ${missing[0]!.date}; deleted before ctm indexed them)`,
    );
  }
  return parts.length > 0 ? `stats-cache.json ${parts.join('; ')}` : undefined;
}

/** A path under the working directory as typed from there (`data/ctm.db`), any other in full. */
function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !rel.startsWith(sep) ? rel : path;
}

export async function ingestCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      once: { type: 'boolean', default: false },
      timezone: { type: 'string' },
      'claude-dir': { type: 'string' },
      'data-dir': { type: 'string' },
    },
  });
  const config = loadConfig(process.env, {
    ...(values.timezone ? { timezone: values.timezone } : {}),
    ...(values['claude-dir'] ? { claudeDir: values['claude-dir'] } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
  });
  // On a terminal the bar is cleared before any log line, so a warning never lands on it.
  const bar = process.stderr.isTTY ? createTerminalBar(process.stderr) : undefined;
  const log = createLogger(
    config.logLevel,
    bar
      ? {
          isTTY: true,
          write: (s: string) => {
            bar.clear();
            return process.stderr.write(s);
          },
        }
      : process.stderr,
  );
  usableClaudeDirs(config);
  const progress = createProgressReport({ log, json: !bar, bar });
  const onProgress = (p: PassProgress): void => progress.update(p);
  // A first run reads everything into an index of its own, put in place when complete (fresh-index.ts); its
  // reader threads start now, while that index is made and the files are found.
  let first = existsSync(config.dbPath)
    ? undefined
    : firstPassApart(config, log, startReaders(), onProgress)?.summary;
  const db = openDb(config.dbPath);
  try {
    const ingester = first && values.once ? undefined : createIngester(db, config, log);
    first ??= ingester!.pass(undefined, onProgress);
    progress.done();
    // Line types and file names come from the transcripts: shown safe for a terminal.
    process.stdout.write(terminalSafe(describePass(first)) + '\n');
    for (const example of first.skippedExamples)
      process.stdout.write(terminalSafe(`  skipped ${example}`) + '\n');
    const statsLine = describeStatsCache(statsCacheDisagreements(db));
    if (statsLine) process.stdout.write(terminalSafe(statsLine) + '\n');
    process.stdout.write(
      `${readyLine(shownPath(config.dbPath), usageSpan(db))}; see them with ctm report daily, or ctm start for the pages\n`,
    );
    if (values.once || !ingester) return 0;
    const stop = await ingester.watch((s) => {
      // A skip met again on every rescan (a broken symlink, say) was told once already.
      if (s.newMessages > 0 || s.replacedMessages > 0 || s.newSkips > 0)
        log.info(terminalSafe(describePass(s)));
    });
    // Printed once the watcher is ready: a line written from now on is picked up within milliseconds.
    process.stdout.write('watching for changes (Ctrl-C to stop)\n');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await stop();
    return 0;
  } finally {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  }
}
