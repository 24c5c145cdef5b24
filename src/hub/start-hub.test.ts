// A hub whose decoder or writer thread dies (here on a marked request, test/fixtures/hub/crashing-*.ts): every
// request in flight is answered, every request arriving while the thread restarts is answered at once (503
// with Retry-After, which OTLP clients retry) and none is left holding a place in the queue, so once the thread
// is back the hub takes good requests from every machine again. A decoder that hangs on a body
// (test/fixtures/hub/hanging-decoder.ts) is ended at its deadline: that body is answered 413, the ones behind
// it 503, and the new decoder takes good requests.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/fixtures/fixture-tree.ts';
import { logsRequest, usageRecord } from '../../test/fixtures/hub/otlp-usage.ts';
import { loadConfig } from '../config.ts';
import { silentLogger } from '../log.ts';
import { startHub, type RunningHub } from './start-hub.ts';

const LAPTOP = 'laptop-token-0123456789abcdef';
const DESKTOP = 'desktop-token-0123456789abcdef';
const fixture = (name: string) => new URL(`../../test/fixtures/hub/${name}`, import.meta.url);

const hubs: RunningHub[] = [];
afterEach(async () => {
  while (hubs.length) await hubs.pop()!.close();
});

async function hub(
  threadFiles: { decoder?: URL; writer?: URL },
  more: Record<string, string> = {},
  log = silentLogger,
): Promise<RunningHub> {
  const dir = tempDir();
  const tokens = join(dir, 'tokens');
  writeFileSync(tokens, `laptop ${LAPTOP}\ndesktop ${DESKTOP}\n`);
  const env = {
    CTM_DATA_DIR: join(dir, 'data'),
    CTM_TZ: 'UTC',
    CTM_INGEST_TOKENS: tokens,
    CTM_INGEST_RATE: '1000',
    ...more,
  };
  const config = { ...loadConfig(env, {}, dir), otlpPort: 0 };
  const running = await startHub({ config, log, onCommit: () => {}, threadFiles });
  hubs.push(running);
  return running;
}

/** One response's agent request from `machine`. */
const request = (key: string, machine = 'laptop') =>
  logsRequest([usageRecord(key)], { 'ctm.machine': machine });

/** Posts a body; the status and Retry-After (or the message of a 413), or 'no answer' when none came in 5 s. */
async function post(url: string, body: string, token = LAPTOP, waitMs = 5000): Promise<string> {
  try {
    const res = await fetch(`${url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
      signal: AbortSignal.timeout(waitMs),
    });
    const text = Buffer.from(await res.arrayBuffer()).toString();
    if (res.status === 413) return `413 ${(JSON.parse(text) as { message: string }).message}`;
    return res.status === 503 ? `503 retry-after ${res.headers.get('retry-after')}` : String(res.status);
  } catch {
    return 'no answer';
  }
}

/** Good requests until one is written: the thread is back. */
async function untilAccepted(url: string, token: string, machine: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if ((await post(url, request(`back-${machine}-${i}`, machine), token)) === '200') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the hub never accepted a good request again');
}

describe('a hub thread restarting', () => {
  it.each([
    ['decoder', { decoder: fixture('crashing-decoder.ts') }, 'crash-decoder'],
    ['writer', { writer: fixture('crashing-writer.ts') }, request('crash-writer')],
  ])(
    'the %s: requests in flight and during the restart are answered, then good ones accepted',
    async (_, files, crash) => {
      const h = await hub(files);
      expect(await post(h.url, request('before'))).toBe('200');
      // The crashing request and three behind it, in flight when the thread dies.
      const inFlight = await Promise.all([
        post(h.url, crash),
        ...[1, 2, 3].map((i) => post(h.url, request(`in-flight-${i}`))),
      ]);
      expect(inFlight[0]).toBe('503 retry-after 1');
      for (const answer of inFlight.slice(1)) expect(answer).toMatch(/^(200|503 retry-after 1)$/);
      // More than the queue holds (64), within the second before the restart.
      const during = await Promise.all(
        Array.from({ length: 80 }, (_, i) => post(h.url, request(`during-${i}`))),
      );
      // Each is answered (on a loaded machine some may reach the new thread already); none is left waiting.
      for (const answer of during) expect(answer).toMatch(/^(200|503 retry-after 1)$/);
      await untilAccepted(h.url, LAPTOP, 'laptop');
      // Nothing still holds a place in the queue: a burst from another machine is taken whole.
      const after = await Promise.all(
        Array.from({ length: 64 }, (_, i) => post(h.url, request(`after-${i}`, 'desktop'), DESKTOP)),
      );
      expect(new Set(after)).toEqual(new Set(['200']));
    },
  );
});

describe('a hub decoder that hangs on a body', () => {
  it('is ended at its deadline: that body 413, the ones behind it 503, then good requests are written', async () => {
    const warnings: string[] = [];
    const log = { ...silentLogger, warn: (message: string) => void warnings.push(message) };
    const h = await hub(
      { decoder: fixture('hanging-decoder.ts') },
      { CTM_INGEST_DECODE_TIMEOUT_MS: '1000' },
      log,
    );
    expect(await post(h.url, request('before'))).toBe('200');
    const started = join(tempDir(), 'decoding');
    const t0 = performance.now();
    const hanging = post(h.url, `hang-decoder ${started}`, LAPTOP, 30_000).then((answer) => ({
      answer,
      ms: performance.now() - t0,
    }));
    for (let i = 0; i < 300 && !existsSync(started); i++) await new Promise((r) => setTimeout(r, 10));
    expect(existsSync(started)).toBe(true);
    // In line behind the hanging body, from both machines (the deadline leaves a loaded machine time to send them).
    const behind = Promise.all([
      ...[1, 2].map((i) => post(h.url, request(`behind-${i}`), LAPTOP, 30_000)),
      post(h.url, request('behind-desktop', 'desktop'), DESKTOP, 30_000),
    ]);
    const { answer, ms } = await hanging;
    expect(answer).toBe(
      '413 the body took more than 1000 ms to decode (CTM_INGEST_DECODE_TIMEOUT_MS); send fewer records per request',
    );
    expect(ms).toBeGreaterThanOrEqual(1000);
    expect(ms).toBeLessThan(10_000);
    // Answered 503 while the decoder restarts (or 200 by the new one, if sent after it on a loaded machine).
    for (const a of await behind) expect(a).toMatch(/^(200|503 retry-after 1)$/);
    expect(warnings).toEqual(['hub decoder still on a body after its deadline; restarting it']);
    await untilAccepted(h.url, LAPTOP, 'laptop');
    const after = await Promise.all(
      Array.from({ length: 32 }, (_, i) => post(h.url, request(`after-${i}`, 'desktop'), DESKTOP)),
    );
    expect(new Set(after)).toEqual(new Set(['200']));
    expect(warnings).toHaveLength(1);
  }, 60_000);
});
