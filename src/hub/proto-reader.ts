// A reader of the protobuf wire format, enough for the few OTLP messages the hub decodes: varints (int64 and
// its negative ten-byte form), fixed64, doubles and length-delimited fields (fixed32 ones are only skipped).
// Every read is bounds-checked; a truncated or malformed message is an OtlpFormatError naming the message it
// was reading.
import { OtlpFormatError } from './otlp-logs.ts';

export const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

/** The largest length a length-delimited field may declare (protobuf's, 2 GiB - 1). */
const MAX_LENGTH = 0x7fff_ffff;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class ProtoReader {
  pos: number;
  readonly buf: Uint8Array;
  readonly what: string;
  readonly end: number;
  private readonly view: DataView;

  constructor(buf: Uint8Array, what: string, start = 0, end = buf.length, view?: DataView) {
    this.buf = buf;
    this.what = what;
    this.pos = start;
    this.end = end;
    this.view = view ?? new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  fail(problem: string): never {
    throw new OtlpFormatError(`protobuf ${this.what}: ${problem}`);
  }

  private need(n: number): void {
    if (this.pos + n > this.end) this.fail('truncated');
  }

  /** A varint as a number: exact up to 2^53; a negative int64 (ten bytes) as its negative number. */
  varint(): number {
    const start = this.pos;
    let result = 0;
    let scale = 1;
    // Up to seven bytes (49 bits) add up exactly in a double; longer ones are read again as a BigInt.
    for (let i = 0; i < 7; i++) {
      this.need(1);
      const byte = this.buf[this.pos++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    this.pos = start;
    let big = 0n;
    for (let i = 0; i < 10; i++) {
      this.need(1);
      const byte = this.buf[this.pos++]!;
      if (i === 9 && byte > 1) this.fail('varint longer than 64 bits');
      big |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if (byte < 0x80) return Number(BigInt.asIntN(64, big));
    }
    return this.fail('varint longer than 64 bits');
  }

  /** A field tag: [field number, wire type]. */
  tag(): [number, number] {
    const tag = this.varint();
    const field = Math.floor(tag / 8);
    if (field === 0) this.fail('field number 0');
    return [field, tag & 7];
  }

  /** A fixed64 nanosecond time as epoch ms, exactly (BigInt division); null for 0. */
  fixed64Millis(): number | null {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v === 0n ? null : Number(v / 1_000_000n);
  }

  double(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** A length-delimited field's bounds: [start, end) inside the buffer. A length is at most 2^31 - 1 (protobuf's
   *  own limit); a negative one (a ten-byte varint) would move the reader backwards, so it re-read the same
   *  bytes forever. */
  span(): [number, number] {
    const length = this.varint();
    if (length < 0) this.fail('negative length');
    if (length > MAX_LENGTH) this.fail('length out of range');
    this.need(length);
    const start = this.pos;
    this.pos += length;
    return [start, this.pos];
  }

  string(): string {
    const [start, end] = this.span();
    try {
      return utf8.decode(this.buf.subarray(start, end));
    } catch {
      return this.fail('a string that is not UTF-8');
    }
  }

  bytes(): Uint8Array {
    const [start, end] = this.span();
    return this.buf.subarray(start, end);
  }

  /** A nested message's reader. */
  message(what: string): ProtoReader {
    const [start, end] = this.span();
    return new ProtoReader(this.buf, what, start, end, this.view);
  }

  /** Skips a field of a number this reader does not know. */
  skip(wireType: number): void {
    if (wireType === WIRE.varint) this.varint();
    else if (wireType === WIRE.fixed64) (this.need(8), (this.pos += 8));
    else if (wireType === WIRE.bytes) this.span();
    else if (wireType === WIRE.fixed32) (this.need(4), (this.pos += 4));
    else this.fail(`unsupported wire type ${wireType}`);
  }

  /** Fails unless a known field has the wire type its declaration gives it. */
  expect(field: number, wireType: number, expected: number): void {
    if (wireType !== expected) this.fail(`field ${field} has wire type ${wireType}, expected ${expected}`);
  }
}
