// OTLP/HTTP JSON (ExportLogsServiceRequest in the protobuf JSON mapping OTLP specifies): lowerCamelCase keys
// (the proto's own snake_case names are read too), int64 as a string or a number, bytes as base64, unknown
// fields ignored. Anything else is an OtlpFormatError naming the path of the value that is wrong. The objects
// and arrays are counted before the text is parsed (JSON.parse holds them all at once): past
// MAX_JSON_CONTAINERS the request is an OtlpTooLargeError.
import {
  MAX_JSON_CONTAINERS,
  MAX_VALUE_DEPTH,
  nanosStringToMs,
  OtlpFormatError,
  OtlpTooLargeError,
  recordSink,
  type AttrValue,
  type Attrs,
  type DecodeLimits,
  type LogRecordIn,
  type ResourceLogsIn,
} from './otlp-logs.ts';

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field under its camelCase or snake_case name. */
function field(o: Record<string, Json>, camel: string, snake: string): Json {
  return Object.hasOwn(o, camel) ? o[camel] : Object.hasOwn(o, snake) ? o[snake] : undefined;
}

function list(o: Record<string, Json>, camel: string, snake: string, path: string): Json[] {
  const v = field(o, camel, snake);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpFormatError(`${path}.${camel}: expected an array`);
  return v;
}

function object(v: Json, path: string): Record<string, Json> {
  if (!isObject(v)) throw new OtlpFormatError(`${path}: expected an object`);
  return v;
}

/** An int64 in JSON: a decimal string or an integral number. */
function int64(v: Json, path: string): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,20}$/.test(v)) return Number(v);
  throw new OtlpFormatError(`${path}: expected an integer (int64 as a string or number)`);
}

function timeMs(v: Json, path: string): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') {
    const ms = nanosStringToMs(v);
    if (ms === null || !Number.isNaN(ms)) return ms;
  } else if (typeof v === 'number' && Number.isInteger(v) && v >= 0) {
    return v === 0 ? null : Math.round(v / 1e6);
  }
  throw new OtlpFormatError(`${path}: expected nanoseconds since the epoch (a string of digits)`);
}

function anyValue(v: Json, path: string, depth: number): AttrValue {
  if (v === undefined || v === null) return null;
  const o = object(v, path);
  if (depth > MAX_VALUE_DEPTH) throw new OtlpFormatError(`${path}: values nested too deep`);
  for (const key of Object.keys(o)) {
    const x = o[key];
    switch (key) {
      case 'stringValue':
      case 'string_value':
        if (typeof x !== 'string') throw new OtlpFormatError(`${path}.stringValue: expected a string`);
        return x;
      case 'boolValue':
      case 'bool_value':
        if (typeof x !== 'boolean') throw new OtlpFormatError(`${path}.boolValue: expected true or false`);
        return x;
      case 'intValue':
      case 'int_value':
        return int64(x, `${path}.intValue`);
      case 'doubleValue':
      case 'double_value':
        if (typeof x === 'number') return x;
        if (x === 'NaN' || x === 'Infinity' || x === '-Infinity') return Number(x);
        throw new OtlpFormatError(`${path}.doubleValue: expected a number`);
      case 'bytesValue':
      case 'bytes_value':
        if (typeof x !== 'string') throw new OtlpFormatError(`${path}.bytesValue: expected base64`);
        return x;
      case 'arrayValue':
      case 'array_value': {
        const values = list(object(x, `${path}.arrayValue`), 'values', 'values', `${path}.arrayValue`);
        return values.map((e, i) => anyValue(e, `${path}.arrayValue.values[${i}]`, depth + 1));
      }
      case 'kvlistValue':
      case 'kvlist_value': {
        const values = list(object(x, `${path}.kvlistValue`), 'values', 'values', `${path}.kvlistValue`);
        const out: { [key: string]: AttrValue } = Object.create(null) as { [key: string]: AttrValue };
        for (const [k, val] of keyValues(values, `${path}.kvlistValue.values`, depth + 1)) out[k] = val;
        return out;
      }
    }
  }
  // An AnyValue with none of its fields set is an empty value.
  return null;
}

function keyValues(values: Json[], path: string, depth: number): Attrs {
  const attrs: Attrs = new Map();
  values.forEach((kv, i) => {
    const o = object(kv, `${path}[${i}]`);
    if (typeof o.key !== 'string') throw new OtlpFormatError(`${path}[${i}].key: expected a string`);
    attrs.set(o.key, anyValue(o.value, `${path}[${i}].value`, depth));
  });
  return attrs;
}

function logRecord(v: Json, path: string): LogRecordIn {
  const o = object(v, path);
  const eventName = field(o, 'eventName', 'event_name');
  if (eventName !== undefined && eventName !== null && typeof eventName !== 'string')
    throw new OtlpFormatError(`${path}.eventName: expected a string`);
  return {
    timeMs: timeMs(field(o, 'timeUnixNano', 'time_unix_nano'), `${path}.timeUnixNano`),
    observedMs: timeMs(
      field(o, 'observedTimeUnixNano', 'observed_time_unix_nano'),
      `${path}.observedTimeUnixNano`,
    ),
    eventName: eventName || null,
    body: anyValue(o.body, `${path}.body`, 0),
    attrs: keyValues(list(o, 'attributes', 'attributes', path), `${path}.attributes`, 0),
  };
}

/** Whether the JSON text holds more than `max` objects and arrays (brackets outside strings), read without
 *  parsing it. */
export function hasMoreContainers(text: Uint8Array, max: number): boolean {
  // Each container is at least two bytes ({} or []): a shorter text cannot hold more, and is not scanned (an
  // agent's batch is far below the bound, so the hub's usual bodies cost nothing here).
  if (text.length < 2 * (max + 1)) return false;
  let n = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if ((c === 0x7b || c === 0x5b) && ++n > max) return true;
  }
  return false;
}

/** Decodes a request body; throws OtlpFormatError for JSON that is not an OTLP logs request,
 *  OtlpTooLargeError past the limits. */
export function decodeOtlpJson(body: Buffer | string, limits: DecodeLimits = {}): ResourceLogsIn[] {
  if (hasMoreContainers(typeof body === 'string' ? Buffer.from(body) : body, MAX_JSON_CONTAINERS))
    throw new OtlpTooLargeError(
      'containers',
      `more than ${MAX_JSON_CONTAINERS} JSON objects and arrays in one request`,
    );
  let doc: Json;
  try {
    doc = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch (error) {
    throw new OtlpFormatError(`not JSON: ${(error as Error).message}`);
  }
  const root = object(doc, 'request');
  const add = recordSink(limits);
  return list(root, 'resourceLogs', 'resource_logs', 'request').map((rl, r) => {
    const path = `resourceLogs[${r}]`;
    const o = object(rl, path);
    const resource = field(o, 'resource', 'resource');
    const attrs =
      resource === undefined || resource === null
        ? new Map()
        : keyValues(
            list(object(resource, `${path}.resource`), 'attributes', 'attributes', `${path}.resource`),
            `${path}.resource.attributes`,
            0,
          );
    const out: ResourceLogsIn = { attrs, records: [], skipped: 0 };
    list(o, 'scopeLogs', 'scope_logs', path).forEach((sl, s) => {
      const scopePath = `${path}.scopeLogs[${s}]`;
      list(object(sl, scopePath), 'logRecords', 'log_records', scopePath).forEach((lr, i) =>
        add(out, logRecord(lr, `${scopePath}.logRecords[${i}]`)),
      );
    });
    return out;
  });
}
