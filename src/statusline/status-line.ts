// One status line from one status-line document, wherever it is made: in the `ctm statusline` process, or in
// `ctm start` answering on its socket. Parses the document, records the official limits it carries (only what
// is new), takes the session's, today's and the block's figures from the index plus the transcript's tail,
// and renders the parts. Everything that can go wrong (bad input, a bad setting, a missing or locked index,
// an unreadable history) becomes a note on the line; nothing throws. The stores say where the connections
// come from: opened and closed per call, or kept by a server.
import { ConfigError, loadStatuslineSettings, parseStatuslineFormat, type Env } from '../config.ts';
import type { StatuslineConfig, StatuslineSettings } from '../config.ts';
import type { Db } from '../db/open.ts';
import type { LocalClock } from './local-clock.ts';
import { renderLine, type LineData, type ShownLimit } from './render-line.ts';
import { parseStatusInput, type StatusInput } from './status-input.ts';
import type { UsageFigures } from './usage-figures.ts';

export interface LineStores {
  /** limits.db to read, or null while nothing was recorded. */
  limitsReader(deadline: number): Db | null;
  limitsWriter(deadline: number): Promise<Db>;
  /** The index, read-only (throws as an open does). */
  index(deadline: number): Db;
  /** Each connection the call took, once the line is made: closed, or kept by a server. */
  release(db: Db): void;
  clock: LocalClock;
}

export interface LineRequest {
  /** The document as it came on stdin. */
  text: string;
  /** The reader stopped at MAX_INPUT_BYTES: `text` is only the start of the input. */
  tooLarge?: boolean;
  format?: string | undefined;
  color?: boolean | undefined;
  /** Options the command did not know, to name on the line. */
  unknown?: string[];
  /** Where the status line's own settings (CTM_STATUSLINE_*, NO_COLOR) are read. */
  env: Env;
  config: StatuslineConfig | ConfigError;
}

const errorCode = (error: unknown): string => (error as { code?: string }).code ?? '';

function settingsOrNote(req: LineRequest, notes: string[]): StatuslineSettings {
  try {
    return loadStatuslineSettings(req.env, { format: req.format, color: req.color });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    notes.push(error.message);
    let format;
    try {
      format = parseStatuslineFormat(req.format, '--format');
    } catch {
      format = parseStatuslineFormat(undefined, 'CTM_STATUSLINE_FORMAT');
    }
    return { format, color: req.color ?? false, thresholds: { warn: 70, alert: 90 } };
  }
}

/** Records what the input says of the limits, and returns the windows to show: this call's, else the last
 * reading the history holds while its reset is still ahead. */
async function officialLimits(
  stores: LineStores,
  input: StatusInput,
  now: number,
  deadline: number,
): Promise<Record<string, ShownLimit>> {
  const shown: Record<string, ShownLimit> = {};
  for (const [name, w] of Object.entries(input.rateLimits)) shown[name] = { ...w, fromHistory: false };
  const missing = ['five_hour', 'seven_day', 'spend_limit'].filter((n) => !shown[n]);
  const record = Object.keys(input.rateLimits).length > 0 || input.promptCache !== null;
  if (!record && missing.length === 0) return shown;
  let reader: Db | null = null;
  let writer: Db | null = null;
  try {
    reader = stores.limitsReader(deadline);
    if (record) {
      const { newReadings, hasNew, insertReadings } = await import('../db/limits/record-observation.ts');
      const readings = newReadings(reader, {
        sessionId: input.sessionId,
        rateLimits: input.rateLimits,
        promptCache: input.promptCache,
        at: now,
      });
      // Most calls see nothing new: they never open the store for writing.
      if (hasNew(readings)) {
        writer = await stores.limitsWriter(deadline);
        insertReadings(writer, readings, deadline);
      }
    }
    const db = writer ?? reader;
    if (missing.length && db) {
      const { currentReading } = await import('../db/limits/limit-readings.ts');
      for (const name of missing) {
        const r = currentReading(db, name);
        if (r && r.resetsAt > now) shown[name] = { ...r, fromHistory: true };
      }
    }
  } catch {
    // The history is a side job: an unwritable data dir or a busy store leaves the line as it is.
  } finally {
    if (reader) stores.release(reader);
    if (writer && writer !== reader) stores.release(writer);
  }
  return shown;
}

async function indexFigures(
  config: StatuslineConfig,
  stores: LineStores,
  input: StatusInput,
  now: number,
  deadline: number,
  notes: string[],
): Promise<UsageFigures | null> {
  if (!process.getBuiltinModule('node:fs').existsSync(config.dbPath)) {
    notes.push(`no index at ${config.dbPath} (run \`ctm ingest\`)`);
    return null;
  }
  const [{ usageFigures }, { cachedPricing }] = await Promise.all([
    import('./usage-figures.ts'),
    import('../pricing/cached-pricing.ts'),
  ]);
  let db: Db | null = null;
  try {
    db = stores.index(deadline);
    let pricingNote: string | null = null;
    const figures = await usageFigures(db, input, {
      costMode: config.costMode,
      now,
      deadline,
      clock: stores.clock,
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
    if (db) stores.release(db);
  }
}

/** The input with only the windows whose reset is still ahead: one that has passed says nothing of now (a
 * session idle since then), so it is neither shown nor recorded, as the history's readings are not. */
function currentWindows(input: StatusInput, now: number): StatusInput {
  const rateLimits = Object.fromEntries(Object.entries(input.rateLimits).filter(([, w]) => w.resetsAt > now));
  return { ...input, rateLimits };
}

function problemNote(input: StatusInput): string | null {
  if (input.problem === 'empty') return 'no status input on stdin';
  if (input.problem === 'not_json') return 'status input is not whole JSON';
  if (input.problem === 'not_an_object') return 'status input is not a JSON object';
  if (input.problem === 'too_large') return 'status input is over 1 MiB';
  return null;
}

/** The line; `progress.line` holds the best line so far, for a watchdog that cannot wait any longer. */
export async function makeStatusLine(
  req: LineRequest,
  stores: LineStores,
  deadline: number,
  progress: { line: string } = { line: 'ctm' },
): Promise<string> {
  const notes: string[] = [];
  if (req.unknown?.length) notes.push(`statusline: unknown option ${req.unknown[0]}`);
  const now = Date.now();
  const input = currentWindows(parseStatusInput(req.text, req.tooLarge), now);
  const problem = problemNote(input);
  if (problem) notes.push(problem);
  const settings = settingsOrNote(req, notes);
  const data: LineData = { input, figures: null, limits: {}, notes, now, clock: stores.clock };
  for (const [name, w] of Object.entries(input.rateLimits)) data.limits[name] = { ...w, fromHistory: false };
  progress.line = renderLine(data, settings);
  if (req.config instanceof ConfigError) {
    notes.push(req.config.message);
    return renderLine(data, settings);
  }
  data.limits = await officialLimits(stores, input, now, deadline);
  progress.line = renderLine(data, settings);
  data.figures = await indexFigures(req.config, stores, input, now, deadline, notes);
  return renderLine(data, settings);
}
