// Migration 017 indexes a hub's telemetry rows by session and time, so the hub finds the telemetry twin of an
// agent's row with one lookup, and drops the token fingerprint aliases nothing reads any more.
import { expect, it } from 'vitest';
import { openDb } from './open.ts';
import { rollupDrift } from './queries/rollup-drift.ts';
import { indexBefore } from '../../test/fixtures/old-index.ts';
import { loadPricing } from '../pricing/load-pricing.ts';
import { createHubStore } from '../hub/hub-store.ts';
import type { HubBatch, HubUsage } from '../hub/hub-records.ts';

const TS = Date.UTC(2026, 2, 1, 10);
const response = (o: Partial<HubUsage>): HubUsage => ({
  source: 'agent',
  key: 'm1',
  messageId: 'm1',
  requestId: 'req_1',
  advisorOf: null,
  ts: TS,
  model: 'claude-sonnet-4-5-20250929',
  sessionId: 's1',
  project: 'p',
  cwd: null,
  gitBranch: null,
  version: null,
  isSidechain: false,
  agentId: null,
  serviceTier: null,
  speed: null,
  geo: null,
  input: 101,
  output: 20,
  cacheWrite5m: 0,
  cacheWrite1h: 0,
  cacheRead: 0,
  thinking: 0,
  webSearchRequests: 0,
  webFetchRequests: 0,
  costLoggedUsd: null,
  user: 'u',
  ...o,
});
const batch = (usage: HubUsage[]): HubBatch => ({
  machine: 'a',
  usage,
  sessionCosts: [],
  ignored: 0,
  rejected: new Map(),
  pending: null,
  lastUser: null,
});

it("indexes an older hub's telemetry rows, so an agent's row arriving after the upgrade finds its twin", () => {
  const { path, raw } = indexBefore(17);
  raw.prepare(`INSERT INTO meta VALUES ('timezone', 'UTC')`).run();
  // What an older hub kept: a telemetry row without a request id, counted (its agent's row not there yet),
  // and the aliases it wrote for it.
  const event = response({ source: 'telemetry', key: 'otel:s1:7', messageId: 'otel:s1:7', requestId: null });
  createHubStore(raw, { timezone: 'UTC', pricing: loadPricing() }).write(
    batch([{ ...event, ts: TS + 30_000 }]),
  );
  raw.exec(`INSERT INTO hub_aliases VALUES ('f:s1|101|20|0|0', 'otel:s1:7'), ('r:req_9', 'm9')`);
  raw.close();

  const db = openDb(path);
  const plan = db
    .prepare(
      `EXPLAIN QUERY PLAN SELECT key FROM messages
       WHERE key >= 'otel:' AND key < 'otel;' AND session_id = ? AND ts BETWEEN ? AND ? AND input_tokens = ?`,
    )
    .all('s1', 0, 1, 101) as { detail: string }[];
  expect(plan.map((p) => p.detail).join()).toContain('messages_telemetry');
  expect(db.prepare('SELECT alias FROM hub_aliases').pluck().all()).toEqual(['r:req_9']);
  expect(
    createHubStore(db, { timezone: 'UTC', pricing: loadPricing() }).write(batch([response({})])),
  ).toMatchObject({ accepted: 1, replaced: 1 });
  expect(db.prepare('SELECT key, superseded FROM messages ORDER BY key').all()).toEqual([
    { key: 'm1', superseded: 0 },
    { key: 'otel:s1:7', superseded: 1 },
  ]);
  expect(rollupDrift(db)).toEqual([]);
  db.close();
});
