// Claude Code's own telemetry at a real hub (receiver, writer thread, index): api_request events built from
// the documented attributes (as OTLP JSON, the way Claude Code's http/json exporter sends them, numbers partly
// as strings) for the same requests an agent reports from the transcripts, plus side calls only telemetry
// sees. Whichever arrives first, and however often, each request counts once, as the agent's row; the side
// calls count as telemetry rows priced by Claude Code's cost_usd in auto mode, by ctm (all cache writes as
// 5m) in calculate mode.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureTree, tempDir, testIndex } from '../../test/fixtures/fixture-tree.ts';
import { assistantLine } from '../../test/fixtures/fixture-lines.ts';
import { loadConfig } from '../config.ts';
import { openDb } from '../db/open.ts';
import { silentLogger } from '../log.ts';
import { loadPricing } from '../pricing/load-pricing.ts';
import { requestCost } from '../pricing/request-cost.ts';
import { pushPending } from '../push/push-agent.ts';
import { startHub } from './start-hub.ts';

const TOKEN = 'desk-token-0123456789abcdef';
const SESSION = '7d0b6a8e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const MODEL = 'claude-sonnet-4-5-20250929';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

interface Req {
  id: string;
  requestId: string;
  ts: string;
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
  costUsd: number;
}

const requests: Req[] = Array.from({ length: 6 }, (_, i) => ({
  id: `msg_${i}`,
  requestId: `req_011CTele${i}`,
  ts: new Date(Date.UTC(2026, 10, 20, 9, i * 7)).toISOString(),
  input: 1200 + i,
  output: 300 + 11 * i,
  cacheWrite: 800,
  cacheRead: 20_000 + 1000 * i,
  costUsd: 0.0123 + i / 1000,
}));
/** Requests transcripts never show (title generation, compaction helpers): telemetry only. */
const sideCalls: Req[] = [0, 1].map((i) => ({
  id: '',
  requestId: `req_011CSide${i}`,
  ts: new Date(Date.UTC(2026, 10, 20, 9, 50 + i)).toISOString(),
  input: 90,
  output: 12,
  cacheWrite: 0,
  cacheRead: 0,
  costUsd: 0.0002,
}));

/** One api_request event as Claude Code's OTLP/HTTP JSON exporter writes it. */
function apiRequest(r: Req, sequence: number) {
  const attrs: [string, Record<string, unknown>][] = [
    ['user.id', { stringValue: 'a1b2c3d4e5f6' }],
    ['session.id', { stringValue: SESSION }],
    ['organization.id', { stringValue: 'org-1' }],
    ['user.email', { stringValue: 'ana@example.org' }],
    ['user.account_uuid', { stringValue: 'acc-1' }],
    ['terminal.type', { stringValue: 'vscode' }],
    ['event.name', { stringValue: 'api_request' }],
    ['event.timestamp', { stringValue: r.ts }],
    ['event.sequence', { intValue: sequence }],
    ['prompt.id', { stringValue: `prompt-${Math.floor(sequence / 3)}` }],
    ['model', { stringValue: MODEL }],
    ['cost_usd', { doubleValue: r.costUsd }],
    ['cost_usd_micros', { intValue: String(Math.round(r.costUsd * 1e6)) }],
    ['duration_ms', { intValue: '1800' }],
    ['input_tokens', { stringValue: String(r.input) }],
    ['output_tokens', { intValue: String(r.output) }],
    ['cache_read_tokens', { intValue: String(r.cacheRead) }],
    ['cache_creation_tokens', { intValue: String(r.cacheWrite) }],
    ['request_id', { stringValue: r.requestId }],
    ['speed', { stringValue: 'normal' }],
    ['query_source', { stringValue: r.id ? 'repl_main_thread' : 'compact' }],
  ];
  return {
    timeUnixNano: `${Date.parse(r.ts)}000000`,
    observedTimeUnixNano: `${Date.parse(r.ts) + 3}000000`,
    severityNumber: 9,
    body: { stringValue: 'claude_code.api_request' },
    attributes: attrs.map(([key, value]) => ({ key, value })),
  };
}

function telemetryBody(reqs: Req[]): string {
  return JSON.stringify({
    resourceLogs: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'claude-code' } },
            { key: 'service.version', value: { stringValue: '2.1.290' } },
            { key: 'team.id', value: { stringValue: 'platform' } },
          ],
        },
        scopeLogs: [
          {
            scope: { name: 'com.anthropic.claude_code.events', version: '2.1.290' },
            logRecords: reqs.map((r, i) => apiRequest(r, i + 1)),
          },
        ],
      },
    ],
  });
}

async function setup() {
  const dir = tempDir();
  writeFileSync(join(dir, 'tokens'), `desk ${TOKEN}\n`);
  const config = {
    ...loadConfig(
      { CTM_DATA_DIR: join(dir, 'data'), CTM_TZ: 'UTC', CTM_INGEST_TOKENS: join(dir, 'tokens') },
      {},
      dir,
    ),
    otlpPort: 0,
  };
  const hub = await startHub({ config, log: silentLogger, onCommit: () => {} });
  const tree = fixtureTree();
  tree.write(
    '-home-ana-src/s.jsonl',
    requests.map((r) =>
      assistantLine({
        id: r.id,
        requestId: r.requestId,
        sessionId: SESSION,
        timestamp: r.ts,
        model: MODEL,
        input: r.input,
        output: r.output,
        cacheWrite: r.cacheWrite,
        cacheWrite1h: 200,
        cacheRead: r.cacheRead,
      }),
    ),
  );
  const agent = testIndex([tree.claudeDir], tempDir());
  agent.ingester.pass();
  cleanups.push(
    () => hub.close(),
    () => tree.remove(),
    () => agent.close(),
  );
  const sendTelemetry = async (reqs: Req[]) => {
    const res = await fetch(`${hub.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: telemetryBody(reqs),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
  };
  const push = () =>
    pushPending({
      db: agent.db,
      url: hub.url,
      token: TOKEN,
      identity: { machine: 'desk', user: 'ana@example.org' },
      batch: 500,
      log: silentLogger,
    });
  const rows = () => {
    const db = openDb(config.dbPath, { readonly: true });
    try {
      return db
        .prepare(
          `SELECT key, project, machine, user_name AS user, input_tokens AS input, cache_write_5m_tokens AS w5,
             cache_write_1h_tokens AS w1, cost_logged_usd AS logged, cost_calc_usd AS calc
           FROM usage ORDER BY key`,
        )
        .all() as {
        key: string;
        project: string;
        machine: string;
        user: string;
        input: number;
        w5: number;
        w1: number;
        logged: number | null;
        calc: number;
      }[];
    } finally {
      db.close();
    }
  };
  return { sendTelemetry, push, rows, agent };
}

function expectUnion(rows: Awaited<ReturnType<typeof setup>>['rows'] extends () => infer R ? R : never) {
  const pricing = loadPricing();
  expect(rows.map((r) => r.key)).toEqual([
    ...requests.map((r) => r.id),
    'otel:req_011CSide0',
    'otel:req_011CSide1',
  ]);
  for (const [i, r] of requests.entries())
    expect(rows[i]).toMatchObject({
      project: '-home-ana-src',
      machine: 'desk',
      input: r.input,
      w5: 600,
      w1: 200,
      logged: null,
    });
  for (const side of rows.slice(requests.length)) {
    expect(side).toMatchObject({
      project: '(telemetry)',
      machine: 'desk',
      user: 'ana@example.org',
      input: 90,
      logged: 0.0002,
    });
    expect(side.calc).toBeCloseTo(
      requestCost(pricing, {
        model: MODEL,
        ts: Date.parse(sideCalls[0]!.ts),
        speed: null,
        geo: null,
        input: 90,
        output: 12,
        cacheWrite5m: 0,
        cacheWrite1h: 0,
        cacheRead: 0,
        webSearchRequests: 0,
      })!,
      12,
    );
  }
  expect(rows.reduce((n, r) => n + r.input, 0)).toBe(requests.reduce((n, r) => n + r.input, 0) + 180);
}

describe("Claude Code's telemetry at a hub", () => {
  it('counts each request once, as the agent row, when telemetry comes first and again after it', async () => {
    const s = await setup();
    await s.sendTelemetry([...requests, ...sideCalls]);
    expect(s.rows()).toHaveLength(requests.length + sideCalls.length);
    expect(s.rows()[0]).toMatchObject({ key: 'otel:req_011CSide0' });
    await s.push();
    expectUnion(s.rows());
    // Claude Code's exporter retrying the same batch, and the agent resending: nothing changes.
    await s.sendTelemetry([...requests, ...sideCalls]);
    s.agent.db.prepare('DELETE FROM push_cursors').run();
    await s.push();
    expectUnion(s.rows());
  });

  it('counts each request once when the agent comes first', async () => {
    const s = await setup();
    await s.push();
    await s.sendTelemetry(requests.slice(0, 3));
    await s.sendTelemetry([...requests.slice(3), ...sideCalls]);
    expectUnion(s.rows());
  });
});
