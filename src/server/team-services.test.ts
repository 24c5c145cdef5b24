// `ctm start` as a hub, in-process, with no Claude dir of its own: healthy anyway, and an agent's push shows in
// health (machines, last seen, lag), in /api/v1/usage (groupBy=machine, ?machine=) and on /metrics (machine
// and user labels, the hub's request and record counters).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, fixtureTree, tempDir, testIndex, type TestIndex } from '../../test/fixtures/fixture-tree.ts';
import { assistantLine } from '../../test/fixtures/fixture-lines.ts';
import { loadConfig } from '../config.ts';
import { silentLogger } from '../log.ts';
import { pushPending } from '../push/push-agent.ts';
import { startServer, type RunningServer } from './start-server.ts';
import { liveFixture, type LiveFixture } from '../../test/fixtures/live-fixture.ts';

const TOKEN = 'laptop-token-0123456789abcdef';

describe('ctm start as a hub', () => {
  let fx: LiveFixture;
  let server: RunningServer;
  let agent: TestIndex;
  let tree: ReturnType<typeof fixtureTree>;

  beforeAll(async () => {
    fx = liveFixture(0);
    fx.publishSite();
    writeFileSync(join(fx.root, 'tokens'), `laptop ${TOKEN}\n`);
    const config = {
      ...loadConfig({
        CTM_CLAUDE_DIR: join(fx.root, 'no-claude-here'),
        CTM_DATA_DIR: fx.dataDir,
        CTM_TZ: 'UTC',
        CTM_REBUILD_CRON: 'off',
        CTM_SNAPSHOT_CRON: 'off',
        CTM_INGEST_TOKENS: join(fx.root, 'tokens'),
        CTM_MACHINE: 'hub',
      }),
      port: 0,
      otlpPort: 0,
    };
    server = await startServer(config, silentLogger);
    tree = fixtureTree();
    tree.write(
      'p/s1.jsonl',
      [1, 2, 3].map((m) => assistantLine({ id: `m${m}`, timestamp: at(m), sessionId: 's1' })),
    );
    agent = testIndex([tree.claudeDir], tempDir());
    agent.ingester.pass();
  });

  afterAll(async () => {
    await server.close();
    agent.close();
    tree.remove();
    fx.remove();
  });

  const get = async (path: string) => {
    const res = await fetch(server.url + path);
    return { status: res.status, text: await res.text() };
  };

  it('is healthy with no Claude dir, then shows the machines that pushed to it', async () => {
    const before = await get('/api/v1/health');
    expect(before.status).toBe(200);
    expect(JSON.parse(before.text)).toMatchObject({ status: 'ok', machines: [] });

    const hubUrl = server.rt.status.hub!.url;
    const pushed = await pushPending({
      db: agent.db,
      url: hubUrl,
      token: TOKEN,
      identity: { machine: 'laptop', user: 'ana' },
      batch: 500,
      log: silentLogger,
    });
    expect(pushed.sent).toBe(3);

    const health = JSON.parse((await get('/api/v1/health')).text);
    expect(health.db.messages).toBe(3);
    expect(health.machines).toEqual([
      {
        machine: 'laptop',
        user: 'ana',
        last_seen_at: expect.any(String),
        lag_s: expect.any(Number),
        newest_at: at(3),
        pending: 0,
        accepted: 3,
        duplicates: 0,
        rejected: 0,
      },
    ]);
    expect(health.machines[0].lag_s).toBeLessThan(5);
  });

  it('reports by machine and user in /api/v1/usage', async () => {
    const q = '/api/v1/usage?from=2026-03-01&to=2026-03-01';
    const byMachine = JSON.parse((await get(`${q}&groupBy=machine`)).text);
    expect(byMachine.rows.map((r: { key: string; messages: number }) => [r.key, r.messages])).toEqual([
      ['laptop', 3],
    ]);
    const byUser = JSON.parse((await get(`${q}&groupBy=user&machine=laptop`)).text);
    expect(byUser).toMatchObject({ machine: 'laptop', rows: [{ key: 'ana', messages: 3 }] });
    expect(JSON.parse((await get(`${q}&machine=hub`)).text).rows).toEqual([]);
    expect((await get(`${q}&user=`)).status).toBe(400);
  });

  it('labels the totals on /metrics with machine and user, and counts what the hub received', async () => {
    const text = (await get('/metrics')).text;
    expect(text).toMatch(
      /^ctm_tokens_total\{model="claude-sonnet-4-5-20250929",machine="laptop",user="ana",kind="input"\} 30$/m,
    );
    expect(text).toMatch(/^ctm_messages_total\{machine="laptop",user="ana"\} 3$/m);
    expect(text).toMatch(/^ctm_hub_records_total\{machine="laptop",result="accepted"\} 3$/m);
    expect(text).toMatch(/^ctm_hub_requests_total\{status="200"\} 1$/m);
  });
});
