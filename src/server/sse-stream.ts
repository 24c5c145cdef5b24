// GET /api/v1/stream: server-sent events. Each ingest commit is serialised once (by the supervisor) and
// fanned out to every subscriber; a `hello` on connect carries today's totals so a reconnecting page catches
// up at once, and heartbeats keep proxies from timing the connection out. `X-Accel-Buffering: no` makes nginx
// pass events through unbuffered; the host writes them straight to the Node response.
import type { ServerResponse } from 'node:http';
import { todayTotals } from './live-snapshot.ts';
import type { Runtime } from './runtime.ts';

export const HEARTBEAT_MS = 15_000;

/**
 * A client that lets this much of its stream wait unread in the server (beyond what the kernel's socket buffers
 * hold) is dropped: its events would otherwise pile up in memory for as long as it stays connected. An
 * EventSource reconnects by itself (after the `retry` below) and its `hello` brings it up to date.
 */
export const SSE_MAX_BUFFERED_BYTES = 1 << 20;

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};

export function sseEvent(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The first event of every connection: the current generation and today's totals. */
export function streamHello(rt: Runtime): unknown {
  const db = rt.reader();
  return {
    generation: rt.generation,
    at: new Date().toISOString(),
    today: db ? todayTotals(db, { ...rt.config, now: Date.now() }) : null,
  };
}

/** Subscribes `send` to the event bus; returns the idempotent unsubscribe. `end` runs on server shutdown. */
export function subscribe(rt: Runtime, send: (text: string) => void, end: () => void): () => void {
  let done = false;
  const onShutdown = (): void => {
    cleanup();
    end();
  };
  const heartbeat = setInterval(
    () => send(sseEvent('heartbeat', { at: new Date().toISOString() })),
    HEARTBEAT_MS,
  );
  const cleanup = (): void => {
    if (done) return;
    done = true;
    clearInterval(heartbeat);
    rt.bus.off('sse', send);
    rt.bus.off('shutdown', onShutdown);
    rt.metrics.sseClients.dec();
  };
  rt.bus.on('sse', send);
  rt.bus.once('shutdown', onShutdown);
  rt.metrics.sseClients.inc();
  send(`retry: 2000\n\n`);
  send(sseEvent('hello', streamHello(rt), rt.generation));
  return cleanup;
}

/** The stream to one client; for HEAD only its headers (a stream never ends, and would hold the connection). */
export function streamToNode(rt: Runtime, res: ServerResponse, headOnly = false): void {
  res.writeHead(200, SSE_HEADERS);
  if (headOnly) return void res.end();
  res.flushHeaders();
  res.socket?.setNoDelay(true);
  const cleanup = subscribe(
    rt,
    (text) => {
      if (res.destroyed) return;
      // The backlog before this event decides: one event larger than the bound still goes to a client that
      // reads, and only a client that left the earlier ones unread is dropped.
      if (res.writableLength > SSE_MAX_BUFFERED_BYTES) {
        rt.log.warn('stream client dropped: too slow to read its events', {
          bufferedBytes: res.writableLength,
        });
        res.destroy();
        return;
      }
      res.write(text);
    },
    () => res.end(),
  );
  res.once('close', cleanup);
}
