// The hub's receiver as it runs in `ctm start`: a real HTTP server on a free port, the real writer thread and
// a real index. Every refusal is checked to have written nothing; the log is checked never to hold a token.
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/fixtures/fixture-tree.ts';
import { logsRequest, usageRecord } from '../../test/fixtures/hub/otlp-usage.ts';
import { loadConfig } from '../config.ts';
import { openDb } from '../db/open.ts';
import { createLogger, silentLogger } from '../log.ts';
import { createBodyBudget } from './body-budget.ts';
import { parseTokenFile, tokenBook } from './ingest-tokens.ts';
import { contentCoding, createOtlpServer, targetPath } from './otlp-server.ts';
import { createRateLimiter } from './rate-limiter.ts';
import { decodeOtlpProtobuf } from './otlp-protobuf.ts';
import { ProtoReader } from './proto-reader.ts';
import { ProtoWriter } from './proto-writer.ts';
import { startHub, type RunningHub } from './start-hub.ts';

const LAPTOP = 'laptop-token-0123456789abcdef';
const DESKTOP = 'desktop-token-0123456789abcdef';
const pb = readFileSync(new URL('../../test/fixtures/hub/claude-code-logs.pb', import.meta.url));

const logged: string[] = [];
const log = createLogger('debug', { write: (s: string) => logged.push(s) }, true);

async function hub(env: Record<string, string> = {}): Promise<{ hub: RunningHub; count(): number }> {
  const dir = tempDir();
  const tokens = join(dir, 'tokens');
  writeFileSync(tokens, `laptop ${LAPTOP}\ndesktop ${DESKTOP}\n`);
  const e = { CTM_DATA_DIR: join(dir, 'data'), CTM_TZ: 'UTC', CTM_INGEST_TOKENS: tokens, ...env };
  const config = { ...loadConfig(e, {}, dir), otlpPort: 0 };
  const running = await startHub({ config, log, onCommit: () => {} });
  return {
    hub: running,
    count: () => {
      const db = openDb(config.dbPath, { readonly: true });
      try {
        return db.prepare('SELECT count(*) FROM messages').pluck().get() as number;
      } finally {
        db.close();
      }
    },
  };
}

function post(
  url: string,
  body: string | Buffer,
  o: { token?: string | null; type?: string; gzip?: boolean; method?: string; path?: string } = {},
) {
  const headers: Record<string, string> = { 'content-type': o.type ?? 'application/json' };
  if (o.token !== null) headers.authorization = `Bearer ${o.token ?? LAPTOP}`;
  if (o.gzip) headers['content-encoding'] = 'gzip';
  return fetch(`${url}${o.path ?? '/v1/logs'}`, {
    method: o.method ?? 'POST',
    headers,
    // A hub that stops answering fails the test rather than hanging it.
    signal: AbortSignal.timeout(10_000),
    ...(o.method === 'GET'
      ? {}
      : {
          body: o.gzip
            ? new Uint8Array(gzipSync(body))
            : typeof body === 'string'
              ? body
              : new Uint8Array(body),
        }),
  });
}

describe('OTLP receiver', () => {
  let h: Awaited<ReturnType<typeof hub>>;
  beforeAll(async () => {
    h = await hub({ CTM_INGEST_MAX_BYTES: '65536' });
  });
  afterAll(async () => {
    await h.hub.close();
    const all = logged.join('');
    expect(all).not.toContain(LAPTOP);
    expect(all).not.toContain(DESKTOP);
  });

  it('accepts gzipped JSON from a good token and answers an empty ExportLogsServiceResponse', async () => {
    const res = await post(h.hub.url, logsRequest([usageRecord('m1'), usageRecord('m2')]), { gzip: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({});
    expect(h.count()).toBe(2);
  });

  it("accepts Claude Code's protobuf and answers in protobuf, the records the token's machine's", async () => {
    const res = await post(h.hub.url, pb, { type: 'application/x-protobuf', token: DESKTOP });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    expect((await res.arrayBuffer()).byteLength).toBe(0);
    expect(decodeOtlpProtobuf(pb)[0]!.records).toHaveLength(2);
    expect(h.count()).toBe(3);
  });

  it('answers partial success naming what it rejected, and keeps the rest', async () => {
    const bad = usageRecord('m4');
    bad.attributes = bad.attributes.filter((a) => a.key !== 'model');
    const res = await post(
      h.hub.url,
      logsRequest([usageRecord('m3'), bad, usageRecord('m5', { input_tokens: -3 })]),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      partialSuccess: {
        rejectedLogRecords: '2',
        errorMessage: expect.stringMatching(
          /ctm\.usage: missing model.*ctm\.usage: implausible input_tokens|ctm\.usage: implausible input_tokens.*ctm\.usage: missing model/,
        ),
      },
    });
    expect(h.count()).toBe(4);
  });

  it.each<[string, Parameters<typeof post>[2], number, RegExp]>([
    ['no token', { token: null }, 401, /a valid token is required/],
    ['an unknown token', { token: 'not-a-token-0123456789' }, 401, /a valid token is required/],
    ['a plain-text body', { type: 'text/plain' }, 415, /Content-Type must be/],
    ['GET', { method: 'GET' }, 405, /use POST/],
    ['another path', { path: '/v1/traces' }, 404, /no such endpoint/],
  ])('refuses %s and writes nothing', async (_, options, status, message) => {
    const before = h.count();
    const res = await post(h.hub.url, logsRequest([usageRecord('x1')]), options);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { message: string }).message).toMatch(message);
    if (status === 401) expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(h.count()).toBe(before);
  });

  it('refuses a token writing as another machine: 403, nothing written', async () => {
    const before = h.count();
    const res = await post(h.hub.url, logsRequest([usageRecord('x2')], { 'ctm.machine': 'desktop' }));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      code: 7,
      message: expect.stringContaining('this token belongs to machine "laptop"'),
    });
    expect(h.count()).toBe(before);
  });

  it('refuses a machine claim that is not a string (a key-value list killed the decoder): 403, and goes on', async () => {
    const before = h.count();
    for (const value of [
      { kvlistValue: { values: [] } },
      { arrayValue: { values: [] } },
      { intValue: '1' },
    ]) {
      const body = JSON.parse(logsRequest([usageRecord('x3')])) as {
        resourceLogs: { resource: { attributes: { key: string; value: unknown }[] } }[];
      };
      body.resourceLogs[0]!.resource.attributes = [{ key: 'ctm.machine', value }];
      const res = await post(h.hub.url, JSON.stringify(body));
      expect(res.status).toBe(403);
      expect(((await res.json()) as { message: string }).message).toMatch(
        /^this token belongs to machine "laptop"; records of ctm\.machine=.+ \(not a string\) are refused$/,
      );
    }
    expect(h.count()).toBe(before);
    expect((await post(h.hub.url, logsRequest([usageRecord('after-claims')]))).status).toBe(200);
    expect(h.count()).toBe(before + 1);
  });

  it('names a long claimed machine in the 403 and its log line shortened, control characters escaped', async () => {
    const claim = '\u001b[2J\r\n../../' + 'x'.repeat(60_000);
    const from = logged.length;
    const res = await post(h.hub.url, logsRequest([usageRecord('x4')], { 'ctm.machine': claim }));
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text.length).toBeLessThan(300);
    expect(text).toContain(String.raw`ctm.machine=\"\\x1b[2J\\x0d\\x0a../../xxx`);
    const lines = logged.slice(from).filter((l) => l.includes('OTLP request refused'));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBeLessThan(400);
    expect(lines[0]).not.toMatch(/\\u001b/);
  });

  it('logs a client that goes away mid-body at debug level, without a stack, and goes on', async () => {
    const from = logged.length;
    const { socket } = await stalledUpload(h.hub.url, 1000);
    await new Promise((r) => setTimeout(r, 100));
    socket.resetAndDestroy();
    const gone = 'OTLP client went away before sending its whole body';
    for (let i = 0; i < 100 && !logged.slice(from).some((l) => l.includes(gone)); i++)
      await new Promise((r) => setTimeout(r, 50));
    const lines = logged.slice(from).map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'debug', msg: 'OTLP client went away before sending its whole body' }),
    );
    expect((await post(h.hub.url, logsRequest([usageRecord('after-gone')]))).status).toBe(200);
  });

  it('takes an empty Content-Encoding as identity, and an absolute-form target by its path', async () => {
    const before = h.count();
    const res = await fetch(`${h.hub.url}/v1/logs`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-encoding': '',
        authorization: `Bearer ${LAPTOP}`,
      },
      body: logsRequest([usageRecord('empty-encoding')]),
    });
    expect(res.status).toBe(200);
    const { hostname, port } = new URL(h.hub.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: hostname,
          port,
          method: 'POST',
          path: `http://${hostname}:${port}/v1/logs?from=proxy`,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${LAPTOP}` },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', reject);
      req.end(logsRequest([usageRecord('absolute-form')]));
    });
    expect(status).toBe(200);
    expect(h.count()).toBe(before + 2);
    expect((await post(h.hub.url, logsRequest([usageRecord('x5')]), { path: '/v1/logs/' })).status).toBe(200);
  });

  it('refuses bodies over the cap, sent as they are or inflating past it: 413, nothing written', async () => {
    const before = h.count();
    const big = logsRequest(Array.from({ length: 400 }, (_, i) => usageRecord(`big${i}`)));
    expect(big.length).toBeGreaterThan(65536);
    expect((await post(h.hub.url, big)).status).toBe(413);
    const bomb = gzipSync(Buffer.alloc(10 << 20, 0x20));
    expect(bomb.length).toBeLessThan(65536);
    const res = await fetch(`${h.hub.url}/v1/logs`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        authorization: `Bearer ${LAPTOP}`,
      },
      body: bomb,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { message: string }).message).toMatch(/inflated body larger than 65536/);
    expect(h.count()).toBe(before);
  });

  it('refuses malformed OTLP with a 400 that names the problem, in the encoding of the request', async () => {
    const before = h.count();
    const res = await post(
      h.hub.url,
      '{"resourceLogs": [{"scopeLogs": [{"logRecords": [{"timeUnixNano": "x"}]}]}]}',
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toBe(
      'malformed OTLP logs request: resourceLogs[0].scopeLogs[0].logRecords[0].timeUnixNano: expected nanoseconds since the epoch (a string of digits)',
    );
    const bin = await post(h.hub.url, pb.subarray(0, 50), { type: 'application/x-protobuf' });
    expect(bin.status).toBe(400);
    expect(bin.headers.get('content-type')).toBe('application/x-protobuf');
    // google.rpc.Status: code 3 (INVALID_ARGUMENT), then the message.
    const status = new ProtoReader(new Uint8Array(await bin.arrayBuffer()), 'Status');
    expect(status.tag()).toEqual([1, 0]);
    expect(status.varint()).toBe(3);
    expect(status.tag()).toEqual([2, 2]);
    expect(status.string()).toMatch(/^malformed OTLP logs request: protobuf \w+: truncated/);
    expect((await post(h.hub.url, 'not gzip', { gzip: false, type: 'application/json' })).status).toBe(400);
    expect(h.count()).toBe(before);
  });

  it('refuses a protobuf length that is negative (a ten-byte varint) with a 400, and goes on serving', async () => {
    const minus11 = [0xf5, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
    // Field 2 (unknown, skipped) made the decoder spin, field 1 (resource_logs) made it exhaust its heap.
    for (const tag of [0x12, 0x0a]) {
      const res = await post(h.hub.url, Buffer.from([tag, ...minus11]), { type: 'application/x-protobuf' });
      expect(res.status).toBe(400);
      const status = new ProtoReader(new Uint8Array(await res.arrayBuffer()), 'Status');
      status.tag();
      status.varint();
      status.tag();
      expect(status.string()).toMatch(/negative length/);
    }
    const before = h.count();
    expect((await post(h.hub.url, logsRequest([usageRecord('after-negative')]))).status).toBe(200);
    expect(h.count()).toBe(before + 1);
  });
});

describe('OTLP receiver rate limit', () => {
  it('answers 429 with Retry-After past the rate of a token, each token on its own', async () => {
    const h = await hub({ CTM_INGEST_RATE: '1' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await post(h.hub.url, logsRequest([usageRecord(`r${i}`)]))).status);
      expect(statuses).toEqual([200, 200, 429]);
      const limited = await post(h.hub.url, logsRequest([usageRecord('r9')]));
      expect(limited.headers.get('retry-after')).toBe('1');
      expect(h.count()).toBe(2);
      const other = await post(h.hub.url, pb, { type: 'application/x-protobuf', token: DESKTOP });
      expect(other.status).toBe(200);
    } finally {
      await h.hub.close();
    }
  });
});

describe('OTLP receiver, records per request', () => {
  let h: Awaited<ReturnType<typeof hub>>;
  beforeAll(async () => {
    h = await hub({ CTM_INGEST_RATE: '1000' });
  });
  afterAll(() => h.hub.close());

  /** Protobuf of n empty LogRecords (two bytes each) in one ScopeLogs. */
  const emptyRecords = (n: number) => {
    const scope = Buffer.alloc(2 * n);
    for (let i = 0; i < n; i++) scope[2 * i] = 0x12;
    return new ProtoWriter().message(1, (rl) => rl.bytes(2, scope)).finish();
  };
  /** A refusal's message, in either encoding (google.rpc.Status: code, then message). */
  const message = async (res: Response): Promise<string> => {
    if (res.headers.get('content-type') === 'application/json')
      return ((await res.json()) as { message: string }).message;
    const status = new ProtoReader(new Uint8Array(await res.arrayBuffer()), 'Status');
    status.tag();
    status.varint();
    status.tag();
    return status.string();
  };

  it('takes a batch of 20,000 valid records', async () => {
    const records = Array.from({ length: 20_000 }, (_, i) =>
      usageRecord(`batch-${i}`, {
        'session.id': `s${i % 50}`,
        'ctm.cwd': '/home/u/project',
        cache_read_tokens: 1000 + i,
      }),
    );
    const res = await post(h.hub.url, logsRequest(records, { 'ctm.machine': 'laptop', 'ctm.user': 'ana' }), {
      gzip: true,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(h.count()).toBe(20_000);
  });

  it('refuses more records than CTM_INGEST_MAX_RECORDS (413) before they fill the decoder, and goes on', async () => {
    // 500,000 empty records in 1 MB, 8 million in 16 KB of gzip, 200,001 in JSON: the first two ran the
    // decoder thread out of memory, as did 5 million in 3 KB of gzipped JSON (JSON.parse alone would).
    for (const [body, type, gzip] of [
      [emptyRecords(500_000), 'application/x-protobuf', false],
      [emptyRecords(8_000_000), 'application/x-protobuf', true],
      [
        `{"resourceLogs":[{"scopeLogs":[{"logRecords":[${'{},'.repeat(200_000)}{}]}]}]}`,
        'application/json',
        true,
      ],
    ] as const) {
      const res = await post(h.hub.url, body, { type, gzip });
      expect(res.status).toBe(413);
      expect(await message(res)).toMatch(
        /more than 100000 log records in one request \(CTM_INGEST_MAX_RECORDS\)/,
      );
    }
    const records = `${'{},'.repeat(5e6)}{}`;
    const json = await post(h.hub.url, `{"resourceLogs":[{"scopeLogs":[{"logRecords":[${records}]}]}]}`, {
      gzip: true,
    });
    expect(json.status).toBe(413);
    expect(await message(json)).toMatch(/more than 1000000 JSON objects and arrays in one request/);
    expect((await post(h.hub.url, logsRequest([usageRecord('after-many')]))).status).toBe(200);
    expect(h.count()).toBe(20_001);
  });
});

/** A client that sends its headers and all but the last byte of the body it declares, then stalls. */
function stalledUpload(url: string, declared: number): Promise<{ socket: Socket; answer: Promise<string> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST /v1/logs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${LAPTOP}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`,
      );
      socket.write(Buffer.alloc(declared - 1, 0x20), () => resolve({ socket, answer }));
    });
    let text = '';
    const answer = new Promise<string>((done) => {
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => done(text.split('\r\n')[0]!));
    });
    socket.on('error', () => {});
  });
}

describe('OTLP receiver, bodies held at once', () => {
  it('answers 503 at once past 4 x CTM_INGEST_MAX_BYTES of bodies in flight, and takes bodies again once they go', async () => {
    const h = await hub({ CTM_INGEST_MAX_BYTES: '65536', CTM_INGEST_RATE: '1000' });
    const stalled: Socket[] = [];
    try {
      // Four uploads of the largest body each, stalled a byte short: the budget is full.
      for (let i = 0; i < 4; i++) stalled.push((await stalledUpload(h.hub.url, 65536)).socket);
      // Until the four hold the budget (their bytes reach the hub), a small request still goes through.
      let refused = await post(h.hub.url, logsRequest([usageRecord('over-budget-0')]));
      for (let i = 1; i < 100 && refused.status !== 503; i++) {
        await new Promise((r) => setTimeout(r, 50));
        refused = await post(h.hub.url, logsRequest([usageRecord(`over-budget-${i}`)]));
      }
      const start = Date.now();
      refused = await post(h.hub.url, logsRequest([usageRecord('over-budget')]));
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(((await refused.json()) as { message: string }).message).toMatch(/too many bodies at once/);
      expect(Date.now() - start).toBeLessThan(1000);
      for (const socket of stalled) socket.destroy();
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 50));
        status = (await post(h.hub.url, logsRequest([usageRecord(`after-stalled-${i}`)]))).status;
      }
      expect(status).toBe(200);
    } finally {
      for (const socket of stalled) socket.destroy();
      await h.hub.close();
    }
  });

  it('drops an upload that stalls (408) and gives its bytes back', async () => {
    const budget = createBodyBudget(1 << 20);
    const server = createOtlpServer({
      tokens: tokenBook(parseTokenFile(`laptop ${LAPTOP}\n`, 'test')),
      limiter: createRateLimiter(100),
      maxBytes: 65536,
      budget,
      bodyIdleMs: 500,
      sink: { submit: () => Promise.reject(new Error('not reached')) },
      log: silentLogger,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const { answer } = await stalledUpload(`http://127.0.0.1:${port}`, 5000);
      for (let i = 0; i < 100 && budget.used !== 5000; i++) await new Promise((r) => setTimeout(r, 10));
      expect(budget.used).toBe(5000);
      expect(await answer).toBe('HTTP/1.1 408 Request Timeout');
      expect(budget.used).toBe(0);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('request targets and codings', () => {
  it.each([
    ['/v1/logs', '/v1/logs'],
    ['/v1/logs/?a=1', '/v1/logs'],
    ['http://hub.example.org:4318/v1/logs', '/v1/logs'],
    ['HTTPS://hub/v1/logs?x', '/v1/logs'],
    ['http://hub', ''],
    ['/v1/traces', '/v1/traces'],
    ['*', '*'],
  ])('the path of %s is %s', (target, path) => {
    expect(targetPath(target)).toBe(path);
  });

  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['  ', 'identity'],
    [' GZip ', 'gzip'],
    ['br', 'br'],
  ])('Content-Encoding %j is %s', (header, coding) => {
    expect(contentCoding(header)).toBe(coding);
  });
});
