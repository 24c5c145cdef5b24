// `ctm start`'s server in-process on a temp data dir with fixture transcripts: every route's status codes and
// shapes, bad parameters, the SSE push after an append, metrics equal to the database, static file serving.
import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { silentLogger } from '../log.ts';
import { startServer, type RunningServer } from './start-server.ts';
import { liveFixture, serverConfig, type LiveFixture } from '../../test/fixtures/live-fixture.ts';

function raw(
  base: string,
  path: string,
  init: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(base + '/', { method: init.method ?? 'GET', headers: init.headers, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

async function until<T>(fn: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

function metricValue(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(name + ' ') || l.startsWith(name + '{'));
  return line ? Number(line.split(' ').at(-1)) : NaN;
}

describe('ctm start server (published site, fixture logs)', () => {
  let fx: LiveFixture;
  let server: RunningServer;
  let base: string;

  beforeAll(async () => {
    fx = liveFixture(5);
    fx.publishSite();
    const config = serverConfig(fx);
    server = await startServer(config, silentLogger);
    base = server.url;
    await server.firstPass;
  });

  afterAll(async () => {
    await server?.close();
    fx?.remove();
  });

  it('GET /api/v1/health: 200 with the documented shape', async () => {
    const res = await fetch(`${base}/api/v1/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: 'ok',
      version: expect.any(String),
      uptime_s: expect.any(Number),
      claude_dirs: [{ path: fx.claudeDir, exists: true, readable: true }],
      db: { ok: true, messages: 5 },
      last_ingest_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      ingest_lag_s: expect.any(Number),
    });
    expect(body).toHaveProperty('last_build_at');
    const head = await fetch(`${base}/api/v1/health`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('GET /api/v1/live: today, the active block, last requests, sessions, freshness', async () => {
    const res = await fetch(`${base}/api/v1/live`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const live = (await res.json()) as any;
    expect(live.timezone).toBe('UTC');
    expect(live.today).toMatchObject({
      day: new Date().toISOString().slice(0, 10),
      inputTokens: 500,
      outputTokens: 100,
      cacheReadTokens: 5000,
      totalTokens: 5 * fx.tokensPerLine,
      messages: 5,
    });
    expect(live.today.byModel).toHaveLength(1);
    expect(live.activeBlock).toMatchObject({ totalTokens: 5 * fx.tokensPerLine, entries: 5 });
    expect(live.activeBlock.series.ts.length).toBe(live.activeBlock.series.cumulativeTokens.length);
    expect(live.activeBlock.series.cumulativeTokens.at(-1)).toBe(5 * fx.tokensPerLine);
    expect(live.recentRequests).toHaveLength(5);
    expect(live.recentRequests[0]).toMatchObject({
      sessionId: 'session-live',
      totalTokens: fx.tokensPerLine,
    });
    expect(live.currentSessions).toMatchObject([{ sessionId: 'session-live', messages: 5 }]);
    expect(live.freshness.lastIngestAt).toEqual(expect.any(String));
  });

  it('GET /api/v1/usage: every groupBy, totals equal the index; 400 names the bad parameter', async () => {
    for (const groupBy of ['day', 'hour', 'model', 'project', 'session']) {
      const res = await fetch(`${base}/api/v1/usage?groupBy=${groupBy}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as any;
      expect(body.groupBy).toBe(groupBy);
      expect(body.rows.length).toBeGreaterThan(0);
      expect(body.totals.messages).toBe(fx.count);
      expect(body.rows.reduce((s: number, r: any) => s + r.totalTokens, 0)).toBe(fx.count * fx.tokensPerLine);
    }
    const other = (await (await fetch(`${base}/api/v1/usage?groupBy=hour&tz=Asia/Kolkata`)).json()) as any;
    expect(other.timezone).toBe('Asia/Kolkata');
    expect(other.rows[0].key).toMatch(/^\d{4}-\d\d-\d\dT\d\d$/);
    for (const [qs, param] of [
      ['from=2026-02-31', 'from'],
      ['to=soon', 'to'],
      ['groupBy=week', 'groupBy'],
      ['tz=Nowhere/City', 'tz'],
      ['limit=5', 'limit'],
    ]) {
      const res = await fetch(`${base}/api/v1/usage?${qs}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'bad_parameter', parameter: param });
    }
  });

  it('GET /metrics: every documented metric; totals equal the index and are not double counted', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    for (const name of [
      'ctm_tokens_total',
      'ctm_cost_usd_total',
      'ctm_messages_total',
      'ctm_ingest_lines_total',
      'ctm_ingest_lag_seconds',
      'ctm_ingest_duration_seconds_bucket',
      'ctm_build_duration_seconds',
      'ctm_last_build_timestamp_seconds',
      'ctm_http_request_duration_seconds_bucket',
      'process_resident_memory_bytes',
      'ctm_info',
    ]) {
      expect(text, name).toContain(`\n${name}`);
    }
    expect(text).toMatch(/ctm_info\{version="[^"]+"\} 1/);
    expect(text).toMatch(
      /ctm_http_request_duration_seconds_count\{route="\/api\/v1\/health",status="200"\} \d+/,
    );
    const before = fx.count;
    expect(metricValue(text, 'ctm_messages_total')).toBe(before);
    // The same bytes read twice (a rescan) and new lines: totals follow the database exactly.
    fx.append(3);
    const after = await until(async () => {
      const t = await (await fetch(`${base}/metrics`)).text();
      return metricValue(t, 'ctm_messages_total') === before + 3 ? t : undefined;
    });
    const input = after
      .split('\n')
      .find((l) => l.startsWith('ctm_tokens_total{') && l.includes('kind="input"'))!;
    expect(Number(input.split(' ').at(-1))).toBe((before + 3) * 100);
  });

  it('GET /api/v1/stream: hello on connect, one commit event after an append, with changed keys and totals', async () => {
    const res = await fetch(`${base}/api/v1/stream`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const next = async (event: string): Promise<any> => {
      for (;;) {
        const m = new RegExp(`event: ${event}\\ndata: (.*)\\n\\n`).exec(buffer);
        if (m) {
          buffer = buffer.slice(m.index + m[0].length);
          return JSON.parse(m[1]!);
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    };
    const hello = await next('hello');
    expect(hello.today.messages).toBe(fx.count);
    const t0 = Date.now();
    fx.append(1);
    const commit = await next('commit');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(commit.changes.days).toEqual([new Date().toISOString().slice(0, 10)]);
    expect(commit.changes.sessions).toEqual(['session-live']);
    expect(commit.today.messages).toBe(fx.count);
    await reader.cancel();
    const live = (await (await fetch(`${base}/api/v1/live`)).json()) as any;
    expect(live.today.messages).toBe(fx.count);
  });

  it('serves the published site: types, ETag/304, gzip, immutable assets, 404 page, 301 to the slash', async () => {
    const page = await raw(base, '/', { headers: { 'accept-encoding': 'gzip' } });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-encoding']).toBe('gzip');
    const etag = page.headers.etag as string;
    expect((await raw(base, '/', { headers: { 'if-none-match': etag } })).status).toBe(304);
    const asset = await raw(base, '/_astro/app.abc123.js');
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toContain('immutable');
    const missing = await raw(base, '/no/such/page/');
    expect(missing.status).toBe(404);
    expect(missing.body.toString()).toContain('no such report');
    const dir = await raw(base, '/days');
    expect(dir.status).toBe(301);
    expect(dir.headers.location).toBe('/days/');
    expect((await raw(base, '/', { method: 'POST' })).status).toBe(405);
  });

  it('refuses path traversal and dotfiles', async () => {
    for (const path of [
      '/../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/.secret',
      '/days/..%2f..%2fctm.db',
      '/%5c..%5cctm.db',
    ]) {
      const res = await raw(base, path);
      expect([400, 404], path).toContain(res.status);
      expect(res.body.toString()).not.toContain('hidden');
    }
  });

  it('/live/ without an SSR bundle yet: 503 page saying reports are being built', async () => {
    const res = await fetch(`${base}/live/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('Building your reports');
  });
});

describe('ctm start server (no Claude data)', () => {
  it('reports degraded health and a clear page, keeps checking, recovers when the dir appears', async () => {
    const fx = liveFixture(0);
    const missing = join(fx.root, 'nowhere');
    const config = {
      ...loadConfig({
        CTM_CLAUDE_DIR: missing,
        CTM_DATA_DIR: fx.dataDir,
        CTM_REBUILD_CRON: 'off',
        CTM_SNAPSHOT_CRON: 'off',
        CTM_RESCAN_SECONDS: '1',
      }),
      port: 0,
    };
    const server = await startServer(config, silentLogger);
    try {
      const body = await until(async () => {
        const res = await fetch(`${server.url}/api/v1/health`);
        const b = (await res.json()) as any;
        return res.status === 503 && server.rt.status.noDataReason ? b : undefined;
      });
      expect(body.status).toBe('degraded');
      expect(body.reason).toContain(missing);
      expect(body.reason).toContain('CTM_CLAUDE_DIR');
      expect(body.claude_dirs).toEqual([{ path: missing, exists: false, readable: false }]);
      const page = await fetch(`${server.url}/`);
      expect(page.status).toBe(503);
      expect(await page.text()).toContain('No Claude Code data found');
      mkdirSync(join(missing, 'projects', '-p'), { recursive: true });
      writeFileSync(join(missing, 'projects', '-p', 's.jsonl'), '');
      await until(
        async () => ((await fetch(`${server.url}/api/v1/health`)).status === 200 ? true : undefined),
        10_000,
      );
      await until(async () => (server.rt.status.noDataReason === null ? true : undefined), 10_000);
    } finally {
      await server.close();
      fx.remove();
    }
  });
});
