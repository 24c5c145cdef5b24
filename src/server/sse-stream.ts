// GET /api/v1/stream: server-sent events. Each ingest commit is serialised once (by the supervisor) and
// fanned out to every subscriber; a `hello` on connect carries today's totals so a reconnecting page catches
// up at once, and heartbeats keep proxies from timing the connection out. `X-Accel-Buffering: no` makes nginx
// pass events through unbuffered.
import { todayTotals } from './live-snapshot.ts';
import type { Runtime } from './runtime.ts';

export const HEARTBEAT_MS = 15_000;

export function sseEvent(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function streamResponse(rt: Runtime, request: Request, hello: () => unknown): Response {
  const encoder = new TextEncoder();
  let cleanup = (): void => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string): void => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      const onEvent = (text: string): void => send(text);
      const onShutdown = (): void => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      const heartbeat = setInterval(
        () => send(sseEvent('heartbeat', { at: new Date().toISOString() })),
        HEARTBEAT_MS,
      );
      let done = false;
      cleanup = () => {
        if (done) return;
        done = true;
        clearInterval(heartbeat);
        rt.bus.off('sse', onEvent);
        rt.bus.off('shutdown', onShutdown);
        rt.metrics.sseClients.dec();
      };
      rt.bus.on('sse', onEvent);
      rt.bus.once('shutdown', onShutdown);
      request.signal.addEventListener('abort', () => cleanup(), { once: true });
      rt.metrics.sseClients.inc();
      send(`retry: 2000\n\n`);
      send(sseEvent('hello', hello(), rt.generation));
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
  });
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
