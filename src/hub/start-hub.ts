// A hub inside `ctm start`: the decoder and writer threads and the OTLP receiver in front of them, on
// CTM_OTLP_HOST:PORT, only when CTM_INGEST_TOKENS is set. A request's body is decoded on one thread while the
// one before it is written on the other. Each written request's change set goes to onCommit, the same path an
// ingest commit takes (metrics, the live stream, the page refresh). Requests wait in a short queue; a full
// queue, a writer down or a thread restarting answers 503, which OTLP clients retry. Every request in the
// queue is answered: when a thread dies, all of them are (503), and one that finds a thread restarting is at
// once, so the queue never fills with requests nobody will answer. A body the decoder is still on after
// CTM_INGEST_DECODE_TIMEOUT_MS (a pathological input, a bug) ends the thread: that body is answered 413, which
// no client retries as it is, those queued behind it 503, and a new decoder starts. The writer has no such
// deadline: a long SQLite transaction is legitimate, and a busy database is answered by its busy timeout.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { ChangeSetJson } from '../db/change-set.ts';
import { childEnv } from '../config-channel.ts';
import { superviseWorker } from '../server/supervised-worker.ts';
import type { FromHubDecoder, FromHubWriter, HubOutcome, ToHubDecoder, ToHubWriter } from './hub-messages.ts';
import { loadTokenBook, type TokenBook } from './ingest-tokens.ts';
import { createBodyBudget } from './body-budget.ts';
import { createDecodeDeadline } from './decode-deadline.ts';
import { createOtlpServer, HubBusy, type HubSink, type OtlpServerOptions } from './otlp-server.ts';
import { createRateLimiter } from './rate-limiter.ts';

/** Requests waiting for the writer beyond this are answered 503 (an agent sends one at a time). */
const MAX_QUEUED = 64;
/** Request bodies held at once, across requests, are at most this many times CTM_INGEST_MAX_BYTES. */
const BUFFERED_BODIES = 4;
const STOP_WRITER_MS = 7000;
// Decoding a batch makes a few MB of short-lived objects: with V8's default young generation the writer's
// heap grew past 150 MB and the hub's RSS to 350 MB during a catch-up; an 8 MB young generation keeps the
// hub near 210 MB at the same rate (bench/hub.ts).
const WRITER_HEAP_MB = 128;
const WRITER_YOUNG_MB = 8;

export interface RunningHub {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export interface HubOptions {
  config: Config;
  log: Logger;
  onCommit(changes: ChangeSetJson, at: number): void;
  onReply?: OtlpServerOptions['onReply'];
  /** The token book (loaded from CTM_INGEST_TOKENS when omitted). */
  tokens?: TokenBook;
  /** The threads' files, hub-decoder.ts and hub-writer.ts unless a test gives its own (one that crashes). */
  threadFiles?: { decoder?: URL; writer?: URL };
}

export async function startHub(o: HubOptions): Promise<RunningHub> {
  const { config, log } = o;
  const tokens = o.tokens ?? loadTokenBook(config.ingestTokensFile!);
  const pending = new Map<
    number,
    { machine: string; resolve(outcome: HubOutcome): void; reject(error: Error): void }
  >();
  let nextId = 1;
  let down: string | null = null;
  const failAll = (why: string): void => {
    for (const p of pending.values()) p.reject(new HubBusy(why));
    pending.clear();
  };
  /** Answers one request 503 and releases its place in the queue. */
  const fail = (id: number, why: string): void => {
    pending.get(id)?.reject(new HubBusy(why));
    pending.delete(id);
  };

  // The writer and the decoder run with the same environment, grace period and heap limits.
  const threadOptions = {
    env: childEnv(config, process.env),
    workerData: {},
    log,
    graceMs: STOP_WRITER_MS,
    maxOldGenerationSizeMb: WRITER_HEAP_MB,
    maxYoungGenerationSizeMb: WRITER_YOUNG_MB,
  };
  const writer = superviseWorker<ToHubWriter, FromHubWriter>({
    name: 'hub writer',
    file: o.threadFiles?.writer ?? new URL('./hub-writer.ts', import.meta.url),
    ...threadOptions,
    onMessage: (m) => {
      if (m.type === 'ready') down = null;
      else if (m.type === 'error') {
        down = m.message;
        log.error('hub writer cannot start', { error: m.message });
        failAll(m.message);
      } else if (m.type === 'failed') {
        log.error('hub write failed', { error: m.message });
        fail(m.id, m.message);
      } else if (m.type === 'written') {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.changes.days.length + m.changes.sessions.length > 0) o.onCommit(m.changes, m.at);
        p?.resolve(m);
      }
    },
    onCrash: () => failAll('the writer restarted'),
  });

  const timeoutMs = config.ingestDecodeTimeoutMs;
  const deadline = createDecodeDeadline(timeoutMs, (id) => {
    const held = deadline.reset();
    const p = pending.get(id);
    pending.delete(id);
    log.warn('hub decoder still on a body after its deadline; restarting it', {
      machine: p?.machine,
      timeoutMs,
      waiting: held.length - 1,
    });
    p?.resolve({
      type: 'refused',
      id,
      status: 413,
      message: `the body took more than ${timeoutMs} ms to decode (CTM_INGEST_DECODE_TIMEOUT_MS); send fewer records per request`,
    });
    for (const other of held) if (other !== id) fail(other, 'the decoder was restarted');
    void decoder.kill();
  });
  const decoder = superviseWorker<ToHubDecoder, FromHubDecoder>({
    name: 'hub decoder',
    file: o.threadFiles?.decoder ?? new URL('./hub-decoder.ts', import.meta.url),
    ...threadOptions,
    onMessage: (m) => {
      if (m.type === 'ready') deadline.ready();
      else if (m.type === 'decoded' || m.type === 'refused') deadline.answered(m.id);
      if (m.type === 'decoded') {
        if (pending.has(m.id) && !writer.post({ type: 'write', id: m.id, batch: m.batch, at: m.at }))
          fail(m.id, 'the writer is restarting');
      } else if (m.type === 'refused') {
        pending.get(m.id)?.resolve(m);
        pending.delete(m.id);
      }
    },
    onCrash: () => {
      deadline.reset();
      failAll('the decoder restarted');
    },
  });

  const sink: HubSink = {
    submit(job) {
      if (down !== null) return Promise.reject(new HubBusy(down));
      if (pending.size >= MAX_QUEUED) return Promise.reject(new HubBusy('too many requests waiting'));
      const id = nextId++;
      return new Promise<HubOutcome>((resolve, reject) => {
        pending.set(id, { machine: job.machine, resolve, reject });
        if (decoder.post({ type: 'decode', id, ...job })) deadline.posted(id);
        else fail(id, 'the decoder is restarting');
      });
    },
  };

  const server = createOtlpServer({
    tokens,
    limiter: createRateLimiter(config.ingestRate),
    maxBytes: config.ingestMaxBytes,
    budget: createBodyBudget(BUFFERED_BODIES * config.ingestMaxBytes),
    sink,
    log,
    ...(o.onReply ? { onReply: o.onReply } : {}),
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.otlpPort, config.otlpHost, () => resolve());
    });
  } catch (error) {
    await Promise.all([writer.stop(), decoder.stop()]);
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log.info('hub: accepting OTLP logs', { url: `${url}/v1/logs`, machines: tokens.machines.length });

  return {
    url,
    server,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 2000).unref();
      await closed;
      deadline.reset();
      failAll('the hub is stopping');
      await Promise.all([writer.stop(), decoder.stop()]);
    },
  };
}
