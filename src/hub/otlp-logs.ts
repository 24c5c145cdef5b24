// The part of an OTLP ExportLogsServiceRequest the hub reads, the same whether it came as JSON or protobuf:
// each resource's attributes and its log records (times in epoch ms, event name, body, attributes). Scopes,
// severities, trace ids and dropped counts are read past. A request that is not OTLP logs is an
// OtlpFormatError whose message names where it went wrong, for the 400 answer; one that is OTLP but more than
// the decoder thread may hold (too many records, or in JSON too many objects) an OtlpTooLargeError, a 413.
// Records the caller does not keep (events the hub ignores) are only counted, so they cost no memory.

/** An attribute value: OTLP's AnyValue (int64 as a number, bytes as base64, an empty value as null). */
export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };

export type Attrs = Map<string, AttrValue>;

export interface LogRecordIn {
  /** time_unix_nano in epoch ms, or null when unset (0). */
  timeMs: number | null;
  observedMs: number | null;
  eventName: string | null;
  body: AttrValue;
  attrs: Attrs;
}

export interface ResourceLogsIn {
  attrs: Attrs;
  /** The records kept (DecodeLimits.keep). */
  records: LogRecordIn[];
  /** How many records were decoded and not kept. */
  skipped: number;
}

export interface DecodeLimits {
  /** More log records than this in a request (kept or not) is an OtlpTooLargeError. */
  maxRecords?: number;
  /** Whether a decoded record is kept; one that is not is counted in `skipped` and dropped at once. */
  keep?(record: LogRecordIn): boolean;
}

export class OtlpFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OtlpFormatError';
  }
}

/** A well-formed request larger than the decoder may hold: a 413. */
export class OtlpTooLargeError extends Error {
  /** Which limit it passed: DecodeLimits.maxRecords, or MAX_JSON_CONTAINERS. */
  readonly limit: 'records' | 'containers';
  constructor(limit: 'records' | 'containers', message: string) {
    super(message);
    this.name = 'OtlpTooLargeError';
    this.limit = limit;
  }
}

/** Counts the records of one request against its limit and keeps those the caller wants. */
export function recordSink(limits: DecodeLimits): (resource: ResourceLogsIn, record: LogRecordIn) => void {
  const max = limits.maxRecords ?? Infinity;
  const keep = limits.keep ?? (() => true);
  let seen = 0;
  return (resource, record) => {
    if (++seen > max) throw new OtlpTooLargeError('records', `more than ${max} log records in one request`);
    if (keep(record)) resource.records.push(record);
    else resource.skipped++;
  };
}

/** Epoch ms from nanoseconds given as a decimal string (int64 in OTLP JSON), exactly: null for 0 (unset),
 *  NaN for a string that is not a number of nanoseconds. */
export function nanosStringToMs(nanos: string): number | null {
  if (!/^\d{1,20}$/.test(nanos)) return NaN;
  if (/^0+$/.test(nanos)) return null;
  return Number(nanos.slice(0, -6) || '0');
}

/** Nesting an attribute value deeper than this is refused (no usage record needs more than one level). */
export const MAX_VALUE_DEPTH = 16;

/** JSON objects and arrays in one request beyond this are a 413 before the body is parsed: JSON.parse holds
 *  them all at once, ~50-70 bytes each, and a million took about half of the decoder thread's 128 MB heap (an
 *  agent's batch of 20,000 records, 15 MB, holds 560,000). */
export const MAX_JSON_CONTAINERS = 1_000_000;
