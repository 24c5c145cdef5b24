// Records what a handler writes to a Node response (status, headers, body) while it goes out unchanged, so
// the host can keep a rendered page for the rest of the second: the /live/ page is then rendered at most
// once per second and ingest commit, however many browsers ask.
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

export interface CapturedResponse {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

type Chunk = string | Uint8Array | undefined | null | (() => void);

export function captureResponse(res: ServerResponse, done: (captured: CapturedResponse) => void): void {
  const chunks: Buffer[] = [];
  let headers: OutgoingHttpHeaders = {};
  const keep = (chunk: Chunk): void => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') chunks.push(Buffer.from(chunk));
  };
  const writeHead = res.writeHead.bind(res) as (
    status: number,
    headers?: OutgoingHttpHeaders,
  ) => ServerResponse;
  const write = res.write.bind(res) as (chunk: Chunk, ...rest: unknown[]) => boolean;
  const end = res.end.bind(res) as (chunk?: Chunk, ...rest: unknown[]) => ServerResponse;
  res.writeHead = ((status: number, h?: OutgoingHttpHeaders) => {
    headers = { ...res.getHeaders(), ...(h ?? {}) };
    return writeHead(status, h);
  }) as ServerResponse['writeHead'];
  res.write = ((chunk: Chunk, ...rest: unknown[]) => {
    keep(chunk);
    return write(chunk, ...rest);
  }) as ServerResponse['write'];
  res.end = ((chunk?: Chunk, ...rest: unknown[]) => {
    keep(chunk);
    done({ status: res.statusCode, headers, body: Buffer.concat(chunks) });
    return end(chunk, ...rest);
  }) as ServerResponse['end'];
}
