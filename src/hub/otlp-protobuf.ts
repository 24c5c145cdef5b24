// OTLP/HTTP protobuf: ExportLogsServiceRequest decoded by hand (opentelemetry-proto's collector/logs/v1,
// logs/v1, common/v1 and resource/v1 messages), reading only the fields the hub uses and skipping the rest by
// wire type, as protobuf's rules for unknown fields require. No generated code or protobuf library: the
// handful of messages fit in one small file, and the reader checks every bound.
import { ProtoReader, WIRE } from './proto-reader.ts';
import {
  MAX_VALUE_DEPTH,
  recordSink,
  type AttrValue,
  type Attrs,
  type DecodeLimits,
  type LogRecordIn,
  type ResourceLogsIn,
} from './otlp-logs.ts';

function anyValue(r: ProtoReader, depth: number): AttrValue {
  if (depth > MAX_VALUE_DEPTH) r.fail('values nested too deep');
  let value: AttrValue = null;
  while (!r.done) {
    const [field, wire] = r.tag();
    switch (field) {
      case 1:
        r.expect(field, wire, WIRE.bytes);
        value = r.string();
        break;
      case 2:
        r.expect(field, wire, WIRE.varint);
        value = r.varint() !== 0;
        break;
      case 3:
        r.expect(field, wire, WIRE.varint);
        value = r.varint();
        break;
      case 4:
        r.expect(field, wire, WIRE.fixed64);
        value = r.double();
        break;
      case 5: {
        r.expect(field, wire, WIRE.bytes);
        const array = r.message('ArrayValue');
        const values: AttrValue[] = [];
        while (!array.done) {
          const [f, w] = array.tag();
          if (f === 1) {
            array.expect(f, w, WIRE.bytes);
            values.push(anyValue(array.message('AnyValue'), depth + 1));
          } else array.skip(w);
        }
        value = values;
        break;
      }
      case 6: {
        r.expect(field, wire, WIRE.bytes);
        const kvlist = r.message('KeyValueList');
        const out: { [key: string]: AttrValue } = Object.create(null) as { [key: string]: AttrValue };
        while (!kvlist.done) {
          const [f, w] = kvlist.tag();
          if (f === 1) {
            kvlist.expect(f, w, WIRE.bytes);
            const [k, v] = keyValue(kvlist.message('KeyValue'), depth + 1);
            out[k] = v;
          } else kvlist.skip(w);
        }
        value = out;
        break;
      }
      case 7:
        r.expect(field, wire, WIRE.bytes);
        value = Buffer.from(r.bytes()).toString('base64');
        break;
      case 8:
        // string_value_strindex points into a profiles dictionary, which logs never carry.
        r.fail('AnyValue.string_value_strindex is not supported in logs');
        break;
      default:
        r.skip(wire);
    }
  }
  return value;
}

function keyValue(r: ProtoReader, depth: number): [string, AttrValue] {
  let key: string | null = null;
  let value: AttrValue = null;
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1) {
      r.expect(field, wire, WIRE.bytes);
      key = r.string();
    } else if (field === 2) {
      r.expect(field, wire, WIRE.bytes);
      value = anyValue(r.message('AnyValue'), depth);
    } else r.skip(wire);
  }
  if (key === null) r.fail('KeyValue without a key');
  return [key, value];
}

function addAttribute(attrs: Attrs, r: ProtoReader): void {
  const [key, value] = keyValue(r, 0);
  attrs.set(key, value);
}

function logRecord(r: ProtoReader): LogRecordIn {
  const record: LogRecordIn = {
    timeMs: null,
    observedMs: null,
    eventName: null,
    body: null,
    attrs: new Map(),
  };
  while (!r.done) {
    const [field, wire] = r.tag();
    switch (field) {
      case 1:
        r.expect(field, wire, WIRE.fixed64);
        record.timeMs = r.fixed64Millis();
        break;
      case 11:
        r.expect(field, wire, WIRE.fixed64);
        record.observedMs = r.fixed64Millis();
        break;
      case 5:
        r.expect(field, wire, WIRE.bytes);
        record.body = anyValue(r.message('AnyValue'), 0);
        break;
      case 6:
        r.expect(field, wire, WIRE.bytes);
        addAttribute(record.attrs, r.message('KeyValue'));
        break;
      case 12:
        r.expect(field, wire, WIRE.bytes);
        record.eventName = r.string() || null;
        break;
      default:
        r.skip(wire);
    }
  }
  return record;
}

function resourceLogs(r: ProtoReader, add: ReturnType<typeof recordSink>): ResourceLogsIn {
  const out: ResourceLogsIn = { attrs: new Map(), records: [], skipped: 0 };
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1) {
      r.expect(field, wire, WIRE.bytes);
      const resource = r.message('Resource');
      while (!resource.done) {
        const [f, w] = resource.tag();
        if (f === 1) {
          resource.expect(f, w, WIRE.bytes);
          addAttribute(out.attrs, resource.message('KeyValue'));
        } else resource.skip(w);
      }
    } else if (field === 2) {
      r.expect(field, wire, WIRE.bytes);
      const scopeLogs = r.message('ScopeLogs');
      while (!scopeLogs.done) {
        const [f, w] = scopeLogs.tag();
        if (f === 2) {
          scopeLogs.expect(f, w, WIRE.bytes);
          add(out, logRecord(scopeLogs.message('LogRecord')));
        } else scopeLogs.skip(w);
      }
    } else r.skip(wire);
  }
  return out;
}

/** Decodes a request body; throws OtlpFormatError for bytes that are not an OTLP logs request,
 *  OtlpTooLargeError past the limits. */
export function decodeOtlpProtobuf(body: Uint8Array, limits: DecodeLimits = {}): ResourceLogsIn[] {
  const r = new ProtoReader(body, 'ExportLogsServiceRequest');
  const add = recordSink(limits);
  const out: ResourceLogsIn[] = [];
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1) {
      r.expect(field, wire, WIRE.bytes);
      out.push(resourceLogs(r.message('ResourceLogs'), add));
    } else r.skip(wire);
  }
  return out;
}
