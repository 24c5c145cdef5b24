// The official limits end to end: the real `ctm statusline` records them while `ctm start` runs, and the live
// JSON and /metrics show them at once (limits.db is read on each request, no ingest commit needed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { silentLogger } from '../log.ts';
import { ctmBin, node24 } from '../../test/fixtures/run-ctm.ts';
import { statusDocument } from '../../test/fixtures/status-document.ts';
import { startServer, type RunningServer } from './start-server.ts';
import { liveFixture, serverConfig, type LiveFixture } from '../../test/fixtures/live-fixture.ts';
import type { LiveSnapshot } from './live-snapshot.ts';

const get = (base: string, path: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    request({ hostname, port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });

let fx: LiveFixture;
let server: RunningServer;
const now = Math.floor(Date.now() / 1000);

beforeAll(async () => {
  fx = liveFixture(2);
  const config = serverConfig(fx);
  server = await startServer(config, silentLogger);
  await server.firstPass;
});

afterAll(async () => {
  await server?.close();
  fx?.remove();
});

function statusline(doc: Record<string, unknown>): void {
  const r = spawnSync(node24, [ctmBin, 'statusline'], {
    input: JSON.stringify(doc),
    env: { PATH: process.env.PATH, CTM_DATA_DIR: fx.dataDir, CTM_TZ: 'UTC' },
    encoding: 'utf8',
  });
  expect({ code: r.status, err: r.stderr }).toEqual({ code: 0, err: '' });
}

describe('official limits in ctm start', () => {
  it('before any status-line call: null in the live JSON, no gauge', async () => {
    const live = JSON.parse(await get(server.url, '/api/v1/live')) as LiveSnapshot;
    expect(live.officialLimits).toBeNull();
    expect(await get(server.url, '/metrics')).not.toMatch(/^ctm_rate_limit_used_ratio\{/m);
  });

  it('after calls: the windows and their series in /api/v1/live, the ratios in /metrics', async () => {
    const doc = (five: number) =>
      statusDocument({
        sessionId: 'session-live',
        transcriptPath: fx.transcript,
        fiveHour: { used: five, resetsAt: now + 3600 },
        sevenDay: { used: 63, resetsAt: now + 4 * 86400 },
        spendLimit: { used: 8, resetsAt: now + 20 * 86400, usedUsd: 16, limitUsd: 200, period: 'monthly' },
      });
    statusline(doc(40));
    statusline(doc(41));
    // The live body is cached per second and commit: the next second's answer has the new reading.
    await new Promise((r) => setTimeout(r, 1100));
    const live = JSON.parse(await get(server.url, '/api/v1/live')) as LiveSnapshot;
    expect(live.officialLimits!.windows.map((w) => [w.window, w.usedPercentage, w.current])).toEqual([
      ['five_hour', 41, true],
      ['seven_day', 63, true],
      ['spend_limit', 8, true],
    ]);
    expect(live.officialLimits!.windows[0]!.resetsAt).toBe((now + 3600) * 1000);
    expect(live.officialLimits!.series.fiveHour.slice(0, 2)).toEqual([40, 41]);
    expect(live.officialLimits!.series.sevenDay[0]).toBe(63);
    const metrics = await get(server.url, '/metrics');
    expect(metrics).toContain('ctm_rate_limit_used_ratio{window="five_hour"} 0.41');
    expect(metrics).toContain('ctm_rate_limit_used_ratio{window="seven_day"} 0.63');
    expect(metrics).toContain('ctm_rate_limit_used_ratio{window="spend_limit"} 0.08');
  });
});
