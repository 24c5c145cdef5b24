// Shows how far a first ingest pass has got: on a terminal a bar redrawn in place (ctm ingest) or a line with a
// percentage (ctm start, whose terminal other processes write to as well), for log collectors JSON lines with
// the figures as fields. Log lines come at most once a second and only once the pass has taken a second, so a
// quick pass prints none; the bar is drawn at most ten times a second.
import type { PassProgress } from '../ingest/ingest-pass.ts';
import { formatBytes, formatInt } from './format/number.ts';
import type { Logger } from './log.ts';

export const PROGRESS_LABEL = 'reading transcripts';

/** Share done, by new bytes (files when there are no bytes to read). */
export function progressPercent(p: PassProgress): number {
  if (p.bytes > 0) return Math.min(100, Math.floor((p.bytesDone / p.bytes) * 100));
  return p.files > 0 ? Math.floor((p.filesDone / p.files) * 100) : 100;
}

/** `256/492 files, 54 MB of 104 MB, 3,212 new messages` */
export function progressFigures(p: PassProgress): string {
  return (
    `${formatInt(p.filesDone)}/${formatInt(p.files)} files, ${formatBytes(p.bytesDone)} of ` +
    `${formatBytes(p.bytes)}, ${formatInt(p.newMessages)} new messages`
  );
}

/** The JSON fields of a progress line. */
export function progressFields(p: PassProgress): Record<string, number> {
  return {
    percent: progressPercent(p),
    filesDone: p.filesDone,
    files: p.files,
    bytesDone: p.bytesDone,
    bytes: p.bytes,
    newMessages: p.newMessages,
  };
}

/** A bar of `width` cells for a percentage. */
export function progressBar(percent: number, width = 24): string {
  const full = Math.round((Math.max(0, Math.min(100, percent)) / 100) * width);
  return '█'.repeat(full) + '░'.repeat(width - full);
}

export interface TerminalOut {
  write(s: string): unknown;
  columns?: number | undefined;
}

/** One line on a terminal, redrawn in place; `clear` takes it away before anything else is written there. */
export function createTerminalBar(out: TerminalOut) {
  let shown = false;
  return {
    draw(p: PassProgress): void {
      const percent = progressPercent(p);
      const line = `${PROGRESS_LABEL} ${progressBar(percent)} ${String(percent).padStart(3)}%  ${progressFigures(p)}`;
      const width = (out.columns ?? 80) - 1;
      out.write(`\r\x1b[K${line.length > width ? line.slice(0, width) : line}`);
      shown = true;
    },
    clear(): void {
      if (shown) out.write('\r\x1b[K');
      shown = false;
    },
  };
}

export type TerminalBar = ReturnType<typeof createTerminalBar>;

export interface ProgressReportOptions {
  log: Logger;
  /** Log lines are JSON: the figures go in fields, not in the text. */
  json: boolean;
  /** Draw this bar instead of logging lines. */
  bar?: TerminalBar | undefined;
  now?: () => number;
}

/** Takes every progress report of a pass and shows some of them; `done` ends the bar. */
export function createProgressReport(options: ProgressReportOptions) {
  const now = options.now ?? Date.now;
  // A log line a second (the first a second in), or a redraw of the bar every 100 ms.
  let last = options.bar ? -Infinity : now();
  const every = options.bar ? 100 : 1000;
  return {
    update(p: PassProgress): void {
      const t = now();
      if (t - last < every) return;
      last = t;
      if (options.bar) return options.bar.draw(p);
      if (options.json) options.log.info(PROGRESS_LABEL, progressFields(p));
      else options.log.info(`${PROGRESS_LABEL}: ${progressPercent(p)}% — ${progressFigures(p)}`);
    },
    done(): void {
      options.bar?.clear();
    },
  };
}
