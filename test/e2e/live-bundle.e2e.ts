// The SSR bundle and the natively loaded server code are two copies of src/server: this builds the real site
// and checks that the bundled /live/ page sees the host's runtime (its status), which is what the
// globalThis-keyed singleton is for; the JSON API, the stream and /metrics have no endpoint in the bundle.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { openDb } from '../../src/db/open.ts';
import { silentLogger } from '../../src/log.ts';
import { createIngester } from '../../ingest/ingester.ts';
import { buildSite } from '../../src/site/build/build-site.ts';
import { serverEntry } from '../../src/site/site-paths.ts';
import { createRuntime, installRuntime, uninstallRuntime, type Runtime } from '../../src/server/runtime.ts';
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

  it('bundled /live/ sees the host status', async () => {
    rt.status.noDataReason = 'no Claude Code data found at /nowhere; set CTM_CLAUDE_DIR';
    const html = await (await fetch(`${base}/live/`)).text();
    expect(html).toContain('no Claude Code data found at /nowhere');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('the bundle has no endpoint for the JSON API, the stream or /metrics', async () => {
    for (const path of ['/api/v1/health/', '/api/v1/live/', '/api/v1/usage/', '/api/v1/stream/', '/metrics/'])
      expect((await fetch(`${base}${path}`)).status, path).toBe(404);
  });
});
