// The hub's OTLP/HTTP receiver: `POST /v1/logs`, JSON or protobuf, plain or gzip, on CTM_OTLP_PORT. Checks
// run cheapest first and before any body is read: the path and method, the content type and encoding, the
// bearer token (401; compared in constant time, never logged), the token's rate (429 with Retry-After), the
// declared length (413); then the body is read up to the cap (413 beyond) and handed to the decoder and writer
// threads, whose outcome is the answer: OTLP's partial success (200), a refusal naming the problem (400, 403,
// 413), or 503 with Retry-After while the writer is busy or down (OTLP clients retry 429 and 503). The bodies
// of all requests in flight share one budget of bytes (503 at once beyond it), and an upload that stalls is
// dropped (408) rather than holding its bytes until the request timeout.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { terminalSafeLine } from '../format/terminal-safe.ts';
import type { Logger } from '../log.ts';
import type { BodyBudget } from './body-budget.ts';
import type { HubOutcome } from './hub-messages.ts';
import { bearerToken, type TokenBook } from './ingest-tokens.ts';
import { exportReply, statusReply, type Reply, type Wire } from './otlp-reply.ts';
import type { RateLimiter } from './rate-limiter.ts';

export const LOGS_PATH = '/v1/logs';
/** An upload that sends nothing for this long is answered 408 and closed. */
export const BODY_IDLE_MS = 10_000;

export class HubBusy extends Error {}

export interface HubSink {
  /** Writes a body for a machine; rejects with HubBusy when the writer cannot take it now. */
  submit(job: { machine: string; wire: Wire; gzip: boolean; body: Uint8Array }): Promise<HubOutcome>;
}

export interface OtlpServerOptions {
  tokens: TokenBook;
  limiter: RateLimiter;
  maxBytes: number;
  /** The bytes of bodies held at once, across requests (being read or waiting for their answer). */
  budget: BodyBudget;
  /** BODY_IDLE_MS unless a test says otherwise. */
  bodyIdleMs?: number;
  sink: HubSink;
  log: Logger;
  /** Every answer, with the machine when the token was good: for metrics. */
  onReply?(status: number, machine: string | null, outcome: HubOutcome | null): void;
}

function wireOf(contentType: string | undefined): Wire | null {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return 'json';
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  return null;
}

/** A request target's path, without its query and trailing slashes: from the origin form (`/v1/logs?x`) or the
 *  absolute form (`http://hub:4318/v1/logs`, which RFC 9112 §3.2.2 requires a server to accept). */
export function targetPath(target: string): string {
  let path = target;
  if (/^https?:\/\//i.test(target)) {
    try {
      path = new URL(target).pathname;
    } catch {
      return target;
    }
  }
  return path.split('?')[0]!.replace(/\/+$/, '');
}

/** A Content-Encoding header's coding; an empty header (or none) is identity. */
export function contentCoding(header: string | undefined): string {
  return (header ?? '').trim().toLowerCase() || 'identity';
}

function send(res: ServerResponse, reply: Reply, close = false): void {
  res.writeHead(reply.status, {
    ...reply.headers,
    'content-length': reply.body.length,
    'cache-control': 'no-store',
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(reply.body);
}

/** Why a body was not read whole: past the cap, past the shared budget, nothing sent for idleMs, or the client
 *  gone before the end. */
type Unread = 'too large' | 'over budget' | 'stalled' | 'gone';

/** The body, or why the rest of it is not read (a client that disconnects or resets mid-body is 'gone', not
 *  an error of the hub's). `reserve(total)` is asked before `total` bytes are held. */
function readBody(
  req: IncomingMessage,
  maxBytes: number,
  idleMs: number,
  reserve: (total: number) => boolean,
): Promise<Buffer | Unread> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const settle = (outcome: Buffer | Unread): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      if (typeof outcome === 'string') req.pause();
      resolve(outcome);
    };
    const idle = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => settle('stalled'), idleMs);
      timer.unref();
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) return settle('too large');
      if (!reserve(size)) return settle('over budget');
      chunks.push(chunk);
      idle();
    };
    idle();
    req.on('data', onData);
    req.once('end', () => settle(Buffer.concat(chunks, size)));
    req.once('error', () => settle('gone'));
    req.once('close', () => settle('gone'));
  });
}

export function createOtlpServer(o: OtlpServerOptions): Server {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const reply = (r: Reply, machine: string | null, outcome: HubOutcome | null, close = false): void => {
      send(res, r, close);
      o.onReply?.(r.status, machine, outcome);
    };
    const path = targetPath(req.url ?? '/');
    const wire = wireOf(req.headers['content-type']);
    const errorWire = wire ?? 'json';
    if (path !== LOGS_PATH)
      return reply(
        statusReply(errorWire, 404, `no such endpoint: this hub takes ${LOGS_PATH}`),
        null,
        null,
        true,
      );
    if (req.method !== 'POST')
      return reply(statusReply(errorWire, 405, 'use POST', { allow: 'POST' }), null, null, true);
    if (wire === null)
      return reply(
        statusReply('json', 415, 'Content-Type must be application/json or application/x-protobuf'),
        null,
        null,
        true,
      );
    const encoding = contentCoding(req.headers['content-encoding']);
    if (encoding !== 'identity' && encoding !== 'gzip')
      return reply(
        statusReply(
          wire,
          415,
          `Content-Encoding "${terminalSafeLine(encoding, 32)}" is not supported (use gzip)`,
        ),
        null,
        null,
        true,
      );
    const token = bearerToken(req.headers.authorization);
    const machine = token === null ? null : o.tokens.machineOf(token);
    if (machine === null) {
      o.log.warn('OTLP request refused: missing or unknown token', { remote: req.socket.remoteAddress });
      return reply(
        statusReply(wire, 401, 'a valid token is required (Authorization: Bearer <token>)', {
          'www-authenticate': 'Bearer',
        }),
        null,
        null,
        true,
      );
    }
    const wait = o.limiter.take(machine);
    if (wait > 0)
      return reply(
        statusReply(wire, 429, `more than the allowed requests per second for ${machine}`, {
          'retry-after': String(wait),
        }),
        machine,
        null,
        true,
      );
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > o.maxBytes)
      return reply(statusReply(wire, 413, `body larger than ${o.maxBytes} bytes`), machine, null, true);
    await receive(req, { wire, machine, gzip: encoding === 'gzip', declared }, reply);
  };

  /** Reads the body within the shared budget (the declared length reserved before a byte is read, a body
   *  without one reserving as it arrives; all given back once answered), hands it to the sink and answers. */
  const receive = async (
    req: IncomingMessage,
    { wire, machine, gzip, declared }: { wire: Wire; machine: string; gzip: boolean; declared: number },
    reply: (r: Reply, machine: string | null, outcome: HubOutcome | null, close?: boolean) => void,
  ): Promise<void> => {
    let reserved = 0;
    const reserve = (total: number): boolean => {
      if (total <= reserved) return true;
      if (!o.budget.take(total - reserved)) return false;
      reserved = total;
      return true;
    };
    try {
      await answer();
    } finally {
      o.budget.give(reserved);
    }

    async function answer(): Promise<void> {
      const overBudget = statusReply(wire, 503, 'the hub is receiving too many bodies at once; retry', {
        'retry-after': '1',
      });
      if (!reserve(declared)) return reply(overBudget, machine, null, true);
      const body = await readBody(req, o.maxBytes, o.bodyIdleMs ?? BODY_IDLE_MS, reserve);
      if (body === 'too large')
        return reply(statusReply(wire, 413, `body larger than ${o.maxBytes} bytes`), machine, null, true);
      if (body === 'over budget') return reply(overBudget, machine, null, true);
      if (body === 'stalled')
        return reply(statusReply(wire, 408, 'the body stopped arriving; send it again'), machine, null, true);
      if (body === 'gone') {
        o.log.debug('OTLP client went away before sending its whole body', { machine });
        return void req.socket.destroy();
      }
      let outcome: HubOutcome;
      try {
        outcome = await o.sink.submit({ machine, wire, gzip, body });
      } catch (error) {
        if (!(error instanceof HubBusy)) throw error;
        return reply(
          statusReply(wire, 503, `the hub cannot write now (${error.message}); retry`, {
            'retry-after': '1',
          }),
          machine,
          null,
        );
      }
      if (outcome.type === 'refused') {
        if (outcome.status === 403) o.log.warn('OTLP request refused', { machine, reason: outcome.message });
        return reply(statusReply(wire, outcome.status, outcome.message), machine, outcome);
      }
      reply(exportReply(wire, outcome.rejected, outcome.message), machine, outcome);
    }
  };

  const server = createServer(
    { keepAliveTimeout: 65_000, requestTimeout: 120_000, headersTimeout: 30_000 },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        o.log.error('OTLP request failed', { error: (error as Error).stack ?? String(error) });
        if (!res.headersSent) send(res, statusReply('json', 500, 'internal error'), true);
        else res.destroy();
      });
    },
  );
  return server;
}
