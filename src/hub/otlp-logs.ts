// The part of an OTLP ExportLogsServiceRequest the hub reads, the same whether it came as JSON or protobuf:
// each resource's attributes and its log records (times in epoch ms, event name, body, attributes). Scopes,
// severities, trace ids and dropped counts are read past. A request that is not OTLP logs is an
// OtlpFormatError whose message names where it went wrong, for the 400 answer.

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
  records: LogRecordIn[];
}

export class OtlpFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OtlpFormatError';
  }
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
