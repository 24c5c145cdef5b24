// The two OTLP encodings decode to the same thing: the protobuf fixture was encoded by protoc from the
// official .proto files (test/fixtures/hub/claude-code-logs.txtpb), the JSON below is the same request in OTLP's
// JSON mapping. Malformed input of either kind is an OtlpFormatError naming where it went wrong; more records
// than the limit, or in JSON more objects and arrays, an OtlpTooLargeError.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeOtlpJson, hasMoreContainers } from './otlp-json.ts';
import { MAX_JSON_CONTAINERS, OtlpFormatError, OtlpTooLargeError, type LogRecordIn } from './otlp-logs.ts';
import { decodeOtlpProtobuf } from './otlp-protobuf.ts';
import { ProtoWriter } from './proto-writer.ts';

const pb = readFileSync(new URL('../../test/fixtures/hub/claude-code-logs.pb', import.meta.url));

const s = (key: string, v: string) => ({ key, value: { stringValue: v } });
const n = (key: string, v: number | string) => ({ key, value: { intValue: v } });

const sameAsJson = {
  resourceLogs: [
    {
      resource: {
        attributes: [
          s('service.name', 'claude-code'),
          s('service.version', '2.1.290'),
          s('os.type', 'linux'),
          s('host.arch', 'amd64'),
          s('team.id', 'platform'),
        ],
      },
      scopeLogs: [
        {
          scope: { name: 'com.anthropic.claude_code.events', version: '2.1.290' },
          logRecords: [
            {
              timeUnixNano: '1795169730123000000',
              observedTimeUnixNano: 1795169730125000000,
              severityNumber: 9,
              body: { stringValue: 'claude_code.api_request' },
              attributes: [
                s('user.id', '5f1c0de8a9b7'),
                s('session.id', '0b7e5d1a-3c2f-4e8a-9d6b-1f2e3d4c5b6a'),
                s('organization.id', 'org-7d1e'),
                s('user.email', 'ana@example.org'),
                s('user.account_uuid', 'acc-91a2'),
                s('terminal.type', 'tmux'),
                s('event.name', 'api_request'),
                s('event.timestamp', '2026-11-20T10:15:30.123Z'),
                n('event.sequence', '7'),
                s('prompt.id', '9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f'),
                s('model', 'claude-sonnet-4-5-20250929'),
                { key: 'cost_usd', value: { doubleValue: 0.0123 } },
                n('cost_usd_micros', 12300),
                n('duration_ms', '2140'),
                n('input_tokens', 1200),
                s('output_tokens', '340'),
                n('cache_read_tokens', '15000'),
                n('cache_creation_tokens', 800),
                s('request_id', 'req_011CVxample0001'),
                s('speed', 'normal'),
                s('query_source', 'repl_main_thread'),
                s('effort', 'high'),
                {
                  key: 'workspace.host_paths',
                  value: { arrayValue: { values: [{ stringValue: '/home/ana/src' }] } },
                },
              ],
              traceId: '0102030405060708090a0b0c0d0e0f10',
              spanId: '0102030405060708',
              flags: 1,
            },
            {
              time_unix_nano: '1795169731000000000',
              body: { string_value: 'claude_code.tool_result' },
              attributes: [
                s('event.name', 'tool_result'),
                s('session.id', '0b7e5d1a-3c2f-4e8a-9d6b-1f2e3d4c5b6a'),
                s('tool_name', 'Bash'),
                s('success', 'true'),
                n('duration_ms', '-1'),
              ],
            },
          ],
        },
      ],
    },
  ],
};

describe('OTLP logs decoding', () => {
  it('reads a protobuf request as protoc encoded it, and the same request as JSON to the same result', () => {
    const fromPb = decodeOtlpProtobuf(pb);
    expect(fromPb).toHaveLength(1);
    const [resource] = fromPb;
    expect(resource!.attrs.get('team.id')).toBe('platform');
    expect(resource!.records).toHaveLength(2);
    const [api, tool] = resource!.records;
    expect(api!.timeMs).toBe(1795169730123);
    expect(api!.observedMs).toBe(1795169730125);
    expect(api!.body).toBe('claude_code.api_request');
    expect(api!.attrs.get('input_tokens')).toBe(1200);
    expect(api!.attrs.get('output_tokens')).toBe('340');
    expect(api!.attrs.get('cost_usd')).toBe(0.0123);
    expect(api!.attrs.get('event.sequence')).toBe(7);
    expect(api!.attrs.get('workspace.host_paths')).toEqual(['/home/ana/src']);
    expect(tool!.attrs.get('duration_ms')).toBe(-1);
    expect(decodeOtlpJson(JSON.stringify(sameAsJson))).toEqual(fromPb);
  });

  it('reads nested key-value lists, bytes and booleans in both encodings', () => {
    const w = new ProtoWriter().message(1, (rl) =>
      rl.message(2, (sl) =>
        sl.message(2, (lr) =>
          lr
            .fixed64(1, 1_700_000_000_000_000_000n)
            .string(12, 'ctm.usage')
            .message(6, (kv) =>
              kv
                .string(1, 'k')
                .message(2, (v) =>
                  v.message(6, (list) =>
                    list.message(1, (e) => e.string(1, 'flag').message(2, (x) => x.varint(2, 1))),
                  ),
                ),
            )
            .message(6, (kv) => kv.string(1, 'b').message(2, (v) => v.bytes(7, Buffer.from([1, 2, 3])))),
        ),
      ),
    );
    const [r] = decodeOtlpProtobuf(w.finish());
    expect(r!.records[0]!.eventName).toBe('ctm.usage');
    expect(r!.records[0]!.timeMs).toBe(1_700_000_000_000);
    expect({ ...(r!.records[0]!.attrs.get('k') as object) }).toEqual({ flag: true });
    expect(r!.records[0]!.attrs.get('b')).toBe('AQID');
    const [j] = decodeOtlpJson(
      JSON.stringify({
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: [
                  {
                    timeUnixNano: '1700000000000000000',
                    eventName: 'ctm.usage',
                    attributes: [
                      {
                        key: 'k',
                        value: { kvlistValue: { values: [{ key: 'flag', value: { boolValue: true } }] } },
                      },
                      { key: 'b', value: { bytesValue: 'AQID' } },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(j).toEqual(r);
  });

  it.each([
    ['{"resourceLogs": [', /^not JSON/],
    ['[]', /^request: expected an object/],
    ['{"resourceLogs": {}}', /^request\.resourceLogs: expected an array/],
    [
      '{"resourceLogs": [{"scopeLogs": [{"logRecords": [{"timeUnixNano": "soon"}]}]}]}',
      /logRecords\[0\]\.timeUnixNano/,
    ],
    [
      '{"resourceLogs": [{"scopeLogs": [{"logRecords": [{"attributes": [{"key": 1}]}]}]}]}',
      /logRecords\[0\]\.attributes\[0\]\.key: expected a string/,
    ],
    [
      '{"resourceLogs": [{"scopeLogs": [{"logRecords": [{"attributes": [{"key": "a", "value": {"intValue": 1.5}}]}]}]}]}',
      /attributes\[0\]\.value\.intValue: expected an integer/,
    ],
  ])('refuses malformed JSON %s', (body, message) => {
    expect(() => decodeOtlpJson(body)).toThrow(OtlpFormatError);
    expect(() => decodeOtlpJson(body)).toThrow(message);
  });

  it('refuses truncated and malformed protobuf, naming the message', () => {
    expect(() => decodeOtlpProtobuf(pb.subarray(0, pb.length - 7))).toThrow(/protobuf \w+: truncated/);
    // Field 1 of the request (resource_logs) with the varint wire type instead of length-delimited.
    expect(() => decodeOtlpProtobuf(Buffer.from([0x08, 0x01]))).toThrow(
      /ExportLogsServiceRequest: field 1 has wire type 0, expected 2/,
    );
    expect(() => decodeOtlpProtobuf(Buffer.from([0x13]))).toThrow(/unsupported wire type 3/);
    // Unknown fields are skipped, as protobuf requires.
    expect(decodeOtlpProtobuf(Buffer.from([0x10, 0x05, 0x1a, 0x01, 0x00]))).toEqual([]);
  });
});

describe('OTLP logs decoding limits', () => {
  /** Four records in one request: two in each of two resources, one of each pair named "keep". */
  const four = () => {
    const w = new ProtoWriter();
    for (let r = 0; r < 2; r++)
      w.message(1, (rl) =>
        rl.message(2, (sl) =>
          sl.message(2, (lr) => lr.string(12, 'keep')).message(2, (lr) => lr.string(12, 'drop')),
        ),
      );
    return w.finish();
  };
  const fourJson = JSON.stringify({
    resourceLogs: [0, 1].map(() => ({
      scopeLogs: [{ logRecords: [{ eventName: 'keep' }, { eventName: 'drop' }] }],
    })),
  });
  const keep = (record: LogRecordIn) => record.eventName === 'keep';

  it.each([
    ['protobuf', (limits: object) => decodeOtlpProtobuf(four(), limits)],
    ['JSON', (limits: object) => decodeOtlpJson(fourJson, limits)],
  ])(
    '%s: keeps the records asked for, counts the rest, and refuses more records than the limit',
    (_, decode) => {
      const resources = decode({ maxRecords: 4, keep });
      expect(resources.map((r) => [r.records.map((x) => x.eventName), r.skipped])).toEqual([
        [['keep'], 1],
        [['keep'], 1],
      ]);
      // Records not kept count against the limit too.
      expect(() => decode({ maxRecords: 3, keep })).toThrow(OtlpTooLargeError);
      expect(() => decode({ maxRecords: 3, keep })).toThrow('more than 3 log records in one request');
    },
  );

  it('counts JSON objects and arrays outside strings, escapes included, before parsing', () => {
    expect(hasMoreContainers(Buffer.from('[{}, {"a": [1]}]'), 3)).toBe(true);
    expect(hasMoreContainers(Buffer.from('[{}, {"a": [1]}]'), 4)).toBe(false);
    // Brackets in strings, after an escaped quote too, are text; an escaped backslash does not escape the quote.
    expect(hasMoreContainers(Buffer.from(String.raw`{"a": "{[\"{[", "b": "]"}`), 1)).toBe(false);
    expect(hasMoreContainers(Buffer.from(String.raw`{"a": "\\", "b": []}`), 1)).toBe(true);
    // A text shorter than two bytes a container past the bound is not read at all: whole JSON that short cannot
    // pass it (this unbalanced one is JSON.parse's to refuse).
    expect(hasMoreContainers(Buffer.from('[[[['), 3)).toBe(false);
    expect(hasMoreContainers(Buffer.from('[[[[]]]]'), 3)).toBe(true);
    const many = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[${'{},'.repeat(MAX_JSON_CONTAINERS)}{}]}]}]}`;
    expect(() => decodeOtlpJson(many)).toThrow(OtlpTooLargeError);
    expect(() => decodeOtlpJson(many)).toThrow(`more than ${MAX_JSON_CONTAINERS} JSON objects and arrays`);
  });
});
