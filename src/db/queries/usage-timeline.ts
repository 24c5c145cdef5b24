// Every counted message in time order with its tokens and cost: the input of 5-hour block detection. A whole
// history is read as a stream (timelineRows): a hub's 3 million responses as one array took the process to 1.1 GB,
// streamed to 146 MB.
import type { Db } from '../open.ts';
import { costExpr, type CostMode } from '../day-bucket.ts';

export interface TimelineRow {
  ts: number;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  cost: number | null;
  /** Optional for callers that build rows by hand; the query always selects it. */
  webSearchRequests?: number;
}

interface TimelineOptions {
  costMode: CostMode;
  fromTs?: number | undefined;
  toTs?: number | undefined;
  project?: string | undefined;
}

function timelineStatement(db: Db, options: TimelineOptions) {
  return db.prepare(
    `SELECT ts, model, input_tokens AS inputTokens, output_tokens AS outputTokens,
            cache_write_5m_tokens + cache_write_1h_tokens AS cacheCreationTokens, cache_read_tokens AS cacheReadTokens,
            ${costExpr(options.costMode)} AS cost, web_search_requests AS webSearchRequests
     FROM usage
     WHERE ts >= @from AND ts < @to AND (@project IS NULL OR project = @project)
     ORDER BY ts`,
  );
}

const params = (options: TimelineOptions) => ({
  from: options.fromTs ?? 0,
  to: options.toTs ?? Number.MAX_SAFE_INTEGER,
  project: options.project ?? null,
});

export function usageTimeline(db: Db, options: TimelineOptions): TimelineRow[] {
  return timelineStatement(db, options).all(params(options)) as TimelineRow[];
}

/** The same rows one at a time, none kept: for a whole history. */
export function timelineRows(db: Db, options: TimelineOptions): IterableIterator<TimelineRow> {
  return timelineStatement(db, options).iterate(params(options)) as IterableIterator<TimelineRow>;
}
