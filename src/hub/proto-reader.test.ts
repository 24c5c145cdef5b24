// The protobuf reader's bounds: a length-delimited field's length may not be negative (a ten-byte varint) or
// beyond protobuf's 2^31 - 1, so a hostile length can neither move the reader backwards nor past the buffer.
import { describe, expect, it } from 'vitest';
import { OtlpFormatError } from './otlp-logs.ts';
import { decodeOtlpProtobuf } from './otlp-protobuf.ts';
import { ProtoReader } from './proto-reader.ts';

/** -11 as a ten-byte varint: the length of the field's own tag and length, so pos would return to 0. */
const MINUS_11 = [0xf5, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];

describe('ProtoReader', () => {
  it.each([
    ['-11', MINUS_11, /negative length/],
    ['-1', [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], /negative length/],
    ['2^31', [0x80, 0x80, 0x80, 0x80, 0x08], /length out of range/],
    ['2^53', [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10], /length out of range/],
    ['5 of 2', [0x05, 0x00, 0x00], /truncated/],
  ])('refuses a length of %s', (_, bytes, message) => {
    const r = new ProtoReader(Uint8Array.from(bytes), 'Test');
    expect(() => r.span()).toThrow(OtlpFormatError);
    expect(() => new ProtoReader(Uint8Array.from(bytes), 'Test').span()).toThrow(message);
  });

  it('reads a length up to the end of the buffer', () => {
    const r = new ProtoReader(Uint8Array.from([0x02, 0x61, 0x62]), 'Test');
    expect(r.span()).toEqual([1, 3]);
    expect(r.done).toBe(true);
  });

  it('refuses a negative length on a known field and on an unknown one (skipped) alike', () => {
    // Field 1 (resource_logs) and field 2 (unknown), wire type 2.
    for (const tag of [0x0a, 0x12])
      expect(() => decodeOtlpProtobuf(Uint8Array.from([tag, ...MINUS_11]))).toThrow(
        /ExportLogsServiceRequest: negative length/,
      );
  });
});
