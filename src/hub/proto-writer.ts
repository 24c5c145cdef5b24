// A writer of the protobuf wire format for the hub's answers to protobuf requests (ExportLogsServiceResponse,
// google.rpc.Status) and for building requests in tests: fields are appended in order, a nested message is
// written by a function of its own writer.
import { WIRE } from './proto-reader.ts';

export class ProtoWriter {
  private readonly chunks: Buffer[] = [];

  private varintBytes(value: number): Buffer {
    const bytes: number[] = [];
    // A negative int64 is written as its ten-byte two's complement.
    let v = value < 0 ? BigInt.asUintN(64, BigInt(value)) : BigInt(value);
    do {
      const byte = Number(v & 0x7fn);
      v >>= 7n;
      bytes.push(v > 0n ? byte | 0x80 : byte);
    } while (v > 0n);
    return Buffer.from(bytes);
  }

  private tag(field: number, wire: number): void {
    this.chunks.push(this.varintBytes(field * 8 + wire));
  }

  varint(field: number, value: number): this {
    this.tag(field, WIRE.varint);
    this.chunks.push(this.varintBytes(value));
    return this;
  }

  fixed64(field: number, value: bigint): this {
    this.tag(field, WIRE.fixed64);
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(value);
    this.chunks.push(b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE.bytes);
    this.chunks.push(this.varintBytes(value.length), Buffer.from(value));
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }

  message(field: number, write: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    write(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Buffer {
    return Buffer.concat(this.chunks);
  }
}
