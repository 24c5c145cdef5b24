// The SSR bundle and the natively loaded server code are two copies of src/server: this builds the real site
// and checks that the bundled endpoints see the host's runtime (one event bus, one Prometheus registry, one
// status), which is what the globalThis-keyed singleton is for.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openDb } from '../../src/db/open.ts';
import { silentLogger } from '../../src/log.ts';
import { createIngester } from '../../ingest/ingester.ts';
import { buildSite } from '../../src/site/build-site.ts';
import { serverEntry } from '../../src/site/site-paths.ts';
import { createRuntime, installRuntime, uninstallRuntime, type Runtime } from '../../src/server/runtime.ts';
import { sseEvent } from '../../src/server/sse-stream.ts';
import { liveFixture, type LiveFixture } from '../fixtures/live-fixture.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => Promise<void>;

let fx: LiveFixture;
let rt: Runtime;
let base: string;
let close: () => void;

describe('SSR bundle shares the host runtime', () => {
  beforeAll(async () => {
    fx = liveFixture(4);
    const config = loadConfig({ CTM_CLAUDE_DIR: fx.claudeDir, CTM_DATA_DIR: fx.dataDir, CTM_TZ: 'UTC' });
    const db = openDb(config.dbPath);
    createIngester(db, config, silentLogger).pass();
    db.close();
    await buildSite(config, silentLogger);
    rt = installRuntime(createRuntime(config, silentLogger));
    const { handler } = (await import(pathToFileURL(serverEntry(config.dataDir)).href)) as {
      handler: Handler;
    };
    const server = createServer((req, res) =>
      handler(req, res, () => {
        res.statusCode = 404;
        res.end();
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  }, 180_000);

  afterAll(() => {
    close?.();
    rt?.close();
    uninstallRuntime();
    fx?.remove();
  });

  it('bundled /metrics/ reads the registry the host writes to', async () => {
    rt.metrics.buildFailures.inc(3);
    rt.metrics.refreshTotals(rt.reader()!, 'auto');
    const text = await (await fetch(`${base}/metrics/`)).text();
    expect(text).toContain('\nctm_build_failures_total 3\n');
    expect(text).toContain('\nctm_messages_total 4\n');
  });

  it('bundled /api/v1/stream/ receives events emitted on the host bus', async () => {
    const res = await fetch(`${base}/api/v1/stream/`);
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('event: hello')) text += decoder.decode((await reader.read()).value);
    rt.bus.emit('sse', sseEvent('commit', { from: 'host' }, 99));
    while (!text.includes('event: commit')) text += decoder.decode((await reader.read()).value);
    expect(text).toContain('data: {"from":"host"}');
    await reader.cancel();
  });

  it('bundled /live/ and /api/v1/health/ see the host status', async () => {
    rt.status.noDataReason = 'no Claude Code data found at /nowhere; set CTM_CLAUDE_DIR';
    const html = await (await fetch(`${base}/live/`)).text();
    expect(html).toContain('no Claude Code data found at /nowhere');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    rt.status.lastBuildAt = Date.parse('2026-01-02T03:04:05Z');
    rt.generation++;
    const health = (await (await fetch(`${base}/api/v1/health/`)).json()) as { last_build_at: string };
    expect(health.last_build_at).toBe('2026-01-02T03:04:05.000Z');
  });
});
