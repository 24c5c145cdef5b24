// The hub's answers in OTLP/HTTP's terms, in the encoding of the request: a success is an
// ExportLogsServiceResponse (with partialSuccess naming how many records were rejected and why), a failure a
// google.rpc.Status with the gRPC code that matches its HTTP status.
import { ProtoWriter } from './proto-writer.ts';

export type Wire = 'json' | 'protobuf';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export const CONTENT_TYPE: Record<Wire, string> = {
  json: 'application/json',
  protobuf: 'application/x-protobuf',
};

/** gRPC status codes of the failures the hub answers. */
const GRPC_CODE: Record<number, number> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  403: 7, // PERMISSION_DENIED
  404: 5, // NOT_FOUND
  405: 12, // UNIMPLEMENTED
  408: 4, // DEADLINE_EXCEEDED
  413: 8, // RESOURCE_EXHAUSTED
  415: 3,
  429: 8,
  500: 13, // INTERNAL
  503: 14, // UNAVAILABLE
};

export function exportReply(wire: Wire, rejected: number, errorMessage: string): Reply {
  let body: Buffer;
  if (wire === 'json') {
    body = Buffer.from(
      JSON.stringify(
        rejected > 0 || errorMessage !== ''
          ? { partialSuccess: { rejectedLogRecords: String(rejected), errorMessage } }
          : {},
      ),
    );
  } else {
    const w = new ProtoWriter();
    if (rejected > 0 || errorMessage !== '')
      w.message(1, (p) => {
        if (rejected > 0) p.varint(1, rejected);
        if (errorMessage !== '') p.string(2, errorMessage);
      });
    body = w.finish();
  }
  return { status: 200, headers: { 'content-type': CONTENT_TYPE[wire] }, body };
}

export function statusReply(
  wire: Wire,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Reply {
  const code = GRPC_CODE[status] ?? 2; // UNKNOWN
  const body =
    wire === 'json'
      ? Buffer.from(JSON.stringify({ code, message }))
      : new ProtoWriter().varint(1, code).string(2, message).finish();
  return { status, headers: { 'content-type': CONTENT_TYPE[wire], ...headers }, body };
}
