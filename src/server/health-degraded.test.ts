// Health tells the truth about `ctm start`'s background work, in-process against a real index and real site
// builds: failing ingest passes (a trigger makes every insert fail the way a full disk does), an ingest
// worker that cannot start, and a failed first build, which is retried with backoff until it succeeds.
// /api/v1/health turns degraded with the reason and ctm_health_ok follows; both recover on their own.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../db/open.ts';
import { silentLogger } from '../log.ts';
import { startServer, type RunningServer, type StartOptions } from './start-server.ts';
import { liveFixture, serverConfig, type LiveFixture } from '../../test/fixtures/live-fixture.ts';

const FAIL_INSERTS = `CREATE TRIGGER disk_full BEFORE INSERT ON messages
  BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Health {
  status: string;
  reason?: string;
  db: { messages: number };
}

async function health(server: RunningServer): Promise<{ code: number; body: Health; healthOk: number }> {
  const res = await fetch(`${server.url}/api/v1/health`);
  const body = (await res.json()) as Health;
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  const healthOk = Number(/^ctm_health_ok (\d)$/m.exec(metrics)?.[1]);
  return { code: res.status, body, healthOk };
}

function fixture(initial: number, publish: boolean): LiveFixture {
  const fx = liveFixture(initial);
  cleanups.push(() => fx.remove());
  if (publish) fx.publishSite();
  return fx;
}

async function start(fx: LiveFixture, env: Record<string, string>, options?: StartOptions) {
  const config = serverConfig(fx, env);
  const server = await startServer(config, silentLogger, options);
  cleanups.push(() => server.close());
  return server;
}

function sql(fx: LiveFixture, statement: string): void {
  const db = openDb(join(fx.dataDir, 'ctm.db'));
  db.exec(statement);
  db.close();
}

describe('health while ingest fails', () => {
  it('failing watch passes: degraded with the error, ctm_health_ok 0; ok again after a good pass', async () => {
    const fx = fixture(2, true);
    const server = await start(fx, {});
    await server.firstPass;
    expect((await health(server)).body.status).toBe('ok');
    sql(fx, FAIL_INSERTS);
    fx.append(1);
    const failing = await until('degraded health', async () => {
      const h = await health(server);
      return h.code === 503 ? h : undefined;
    });
    expect(failing.body.status).toBe('degraded');
    expect(failing.body.reason).toContain('the last ingest pass failed: database or disk is full');
    expect(failing.healthOk).toBe(0);
    fx.append(1);
    await until('a second failed pass', async () =>
      (await health(server)).body.reason?.includes('the last 2 ingest passes failed') ? true : undefined,
    );
    sql(fx, 'DROP TRIGGER disk_full');
    fx.append(1);
    const recovered = await until('ok health', async () => {
      const h = await health(server);
      return h.code === 200 ? h : undefined;
    });
    expect(recovered.body.reason).toBeUndefined();
    expect(recovered.healthOk).toBe(1);
    expect(recovered.body.db.messages).toBe(5); // the lines of the failed passes were read again
  });

  it('an ingest worker that cannot run its first pass: degraded, tried again, ok once it can', async () => {
    const fx = fixture(3, true);
    openDb(join(fx.dataDir, 'ctm.db')).close();
    sql(fx, FAIL_INSERTS);
    const server = await start(fx, { CTM_RESCAN_SECONDS: '1' });
    const down = await until('degraded health', async () => {
      const h = await health(server);
      return h.body.reason?.includes('ingest worker down') ? h : undefined;
    });
    expect(down.code).toBe(503);
    expect(down.body.reason).toContain('ingest worker down: database or disk is full');
    expect(down.healthOk).toBe(0);
    sql(fx, 'DROP TRIGGER disk_full');
    await server.firstPass;
    const h = await until('ok health', async () => {
      const r = await health(server);
      return r.code === 200 ? r : undefined;
    });
    expect(h.body.db.messages).toBe(3);
    expect(h.healthOk).toBe(1);
  });
});

describe('health while the site build fails', () => {
  it('a failed first build: degraded with the reason, retried with backoff, ok once a retry succeeds', async () => {
    const fx = fixture(2, false);
    // A file where the site dir goes: every build fails at its first mkdir, as on a broken data volume.
    const site = join(fx.dataDir, 'site');
    openDb(join(fx.dataDir, 'ctm.db')).close();
    writeFileSync(site, '');
    const server = await start(fx, {}, { buildRetryDelaysMs: [200, 400] });
    const failed = await until('degraded health', async () => {
      const h = await health(server);
      return h.body.reason?.includes('the last site build failed') ? h : undefined;
    });
    expect(failed.code).toBe(503);
    expect(failed.body.reason).toMatch(/exit 1; see the log\); retrying at \d{4}-\d\d-\d\dT/);
    expect(failed.healthOk).toBe(0);
    const failures = async () =>
      Number(
        /^ctm_build_failures_total (\d+)$/m.exec(await (await fetch(`${server.url}/metrics`)).text())?.[1],
      );
    await until('two retries', async () => ((await failures()) >= 3 ? true : undefined), 20_000);
    rmSync(site);
    const ok = await until(
      'a successful retry',
      async () => {
        const h = await health(server);
        return h.code === 200 ? h : undefined;
      },
      60_000,
    );
    expect(ok.healthOk).toBe(1);
    const home = await fetch(`${server.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Overview');
    const settled = await failures();
    await new Promise((r) => setTimeout(r, 600));
    expect(await failures()).toBe(settled); // no retry after the success
  }, 90_000);
});
