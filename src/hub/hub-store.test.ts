// The hub's store over real indexes: agents' indexes made by ingesting real transcript trees, their rows sent
// through the agent's encoder and the hub's decoder into a hub index, as a push does (no HTTP here; the
// receiver has its own test). Each case checks the hub's counts per machine, its rollup against its messages,
// and that sending again changes nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { at, fixtureTree, tempDir, testIndex, type TestIndex } from '../../test/fixtures/fixture-tree.ts';
import { advisorIteration, assistantLine, costStateLine } from '../../test/fixtures/fixture-lines.ts';
import { openDb, type Db } from '../db/open.ts';
import { pushRows } from '../db/queries/push-rows.ts';
import { changedSessionCosts } from '../db/queries/push-session-costs.ts';
import { loadPricing } from '../pricing/load-pricing.ts';
import { usageLogsRequest } from '../push/usage-log-records.ts';
import { mapRecords, TELEMETRY_PROJECT } from './hub-records.ts';
import { createHubStore, type HubStore } from './hub-store.ts';
import { decodeOtlpJson } from './otlp-json.ts';
import { generateTree } from '../../test/fixtures/generate-tree.ts';
import { rollupDrift } from '../db/queries/rollup-drift.ts';
import { seededPick } from '../../test/fixtures/seeded-random.ts';

const pricing = loadPricing();
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function agent(lines: Record<string, string[]>): TestIndex {
  const tree = fixtureTree();
  for (const [rel, content] of Object.entries(lines)) tree.write(rel, content);
  const index = testIndex([tree.claudeDir], tempDir());
  index.ingester.pass();
  cleanups.push(() => tree.remove());
  cleanups.push(() => index.close());
  return index;
}

function hub(): { db: Db; store: HubStore } {
  const db = openDb(join(tempDir(), 'ctm.db'));
  db.prepare(`INSERT INTO meta VALUES ('timezone', 'UTC')`).run();
  cleanups.push(() => db.close());
  return { db, store: createHubStore(db, { timezone: 'UTC', pricing }) };
}

function push(store: HubStore, from: Db, machine: string, user = `${machine}-user`) {
  const json = usageLogsRequest(
    pushRows(from, 0, 100_000),
    changedSessionCosts(from, 'x'),
    { machine, user },
    3,
  );
  const mapped = mapRecords(decodeOtlpJson(json), machine);
  if (!mapped.ok) throw new Error(mapped.forbidden);
  return store.write(mapped.batch);
}

function telemetry(store: HubStore, machine: string, records: Record<string, string | number>[]) {
  const body = JSON.stringify({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'claude-code' } }] },
        scopeLogs: [
          {
            logRecords: records.map((attrs) => ({
              timeUnixNano: '1772359200000000000',
              body: { stringValue: 'claude_code.api_request' },
              attributes: Object.entries({ 'event.name': 'api_request', ...attrs }).map(([key, v]) => ({
                key,
                value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v },
              })),
            })),
          },
        ],
      },
    ],
  });
  const mapped = mapRecords(decodeOtlpJson(body), machine);
  if (!mapped.ok) throw new Error(mapped.forbidden);
  return store.write(mapped.batch);
}

/** Counted rows and tokens per machine, from the messages and from the rollup: they must agree. */
function perMachine(db: Db): Record<string, { messages: number; tokens: number }> {
  const rows = db
    .prepare(
      `SELECT machine, count(*) AS messages, sum(total_tokens) AS tokens FROM usage GROUP BY machine ORDER BY 1`,
    )
    .all() as { machine: string; messages: number; tokens: number }[];
  const rollup = db
    .prepare(
      `SELECT machine, sum(messages) AS messages, sum(total_tokens) AS tokens FROM usage_daily GROUP BY machine
       ORDER BY 1`,
    )
    .all();
  expect(rollup).toEqual(rows);
  const costs = db
    .prepare(
      `SELECT round(total(cost_calc_usd), 9) AS m, (SELECT round(total(cost_calc_usd), 9) FROM usage_daily) AS r
       FROM usage`,
    )
    .get() as { m: number; r: number };
  expect(costs.r).toBeCloseTo(costs.m, 9);
  return Object.fromEntries(rows.map((r) => [r.machine, { messages: r.messages, tokens: r.tokens }]));
}

const line = (
  id: string,
  minutes: number,
  sessionId: string,
  extra: Partial<Parameters<typeof assistantLine>[0]> = {},
) => assistantLine({ id, timestamp: at(minutes), sessionId, input: 100 + minutes, output: 20, ...extra });

describe('hub store', () => {
  it('counts a session copied onto two machines once, under the name that sorts first, whichever sends first', () => {
    const shared = [line('m1', 1, 'shared'), line('m2', 2, 'shared'), line('m3', 3, 'shared')];
    const a = agent({ 'p1/shared.jsonl': shared, 'p1/a.jsonl': [line('a1', 4, 'sa'), line('a2', 5, 'sa')] });
    const b = agent({ 'p1/shared.jsonl': shared, 'p2/b.jsonl': [line('b1', 6, 'sb'), line('b2', 7, 'sb')] });
    const { db, store } = hub();
    push(store, b.db, 'laptop-b');
    push(store, a.db, 'desk-a');
    const tokens = (ids: string[]) =>
      (
        a.db
          .prepare(`SELECT sum(total_tokens) AS t FROM usage WHERE key IN (SELECT value FROM json_each(?))`)
          .get(JSON.stringify(ids)) as { t: number }
      ).t +
      (
        b.db
          .prepare(
            `SELECT coalesce(sum(total_tokens), 0) AS t FROM usage WHERE key IN (SELECT value FROM json_each(?))`,
          )
          .get(JSON.stringify(ids.filter((k) => k.startsWith('b')))) as { t: number }
      ).t;
    const expected = {
      'desk-a': { messages: 5, tokens: tokens(['m1', 'm2', 'm3', 'a1', 'a2']) },
      'laptop-b': {
        messages: 2,
        tokens: (
          b.db.prepare(`SELECT sum(total_tokens) AS t FROM usage WHERE session_id = 'sb'`).get() as {
            t: number;
          }
        ).t,
      },
    };
    expect(perMachine(db)).toEqual(expected);
    // Sent again, in either order: nothing changes.
    const again = push(store, a.db, 'desk-a');
    expect(again).toMatchObject({ accepted: 0, duplicates: 5 });
    expect(again.changes.size).toBe(0);
    expect(push(store, b.db, 'laptop-b')).toMatchObject({ accepted: 0, duplicates: 5 });
    expect(perMachine(db)).toEqual(expected);
    expect(db.prepare(`SELECT user_name FROM usage WHERE key = 'b1'`).pluck().get()).toBe('laptop-b-user');
    const seen = db.prepare(`SELECT * FROM hub_machines ORDER BY machine`).all() as Record<string, unknown>[];
    expect(seen.map((m) => [m.machine, m.accepted, m.duplicates, m.pending, m.last_user])).toEqual([
      ['desk-a', 3 + 2, 5, 3, 'desk-a-user'],
      ['laptop-b', 5, 5, 3, 'laptop-b-user'],
    ]);
  });

  it("takes a bigger copy from another machine with its advisor rows, and drops the stored copy's", () => {
    const small = line('m1', 1, 's1', {
      output: 5,
      iterations: [advisorIteration('claude-fable-5-1', 40, 7)],
    });
    const big = line('m1', 1, 's1', {
      output: 500,
      iterations: [advisorIteration('claude-fable-5-1', 90, 9)],
    });
    const a = agent({ 'p/s1.jsonl': [small] });
    const b = agent({ 'p/s1.jsonl': [big] });
    const { db, store } = hub();
    push(store, a.db, 'a');
    expect(db.prepare(`SELECT key, machine FROM usage ORDER BY key`).all()).toEqual([
      { key: 'm1', machine: 'a' },
      { key: 'm1:advisor:0', machine: 'a' },
    ]);
    push(store, b.db, 'b');
    push(store, a.db, 'a');
    expect(db.prepare(`SELECT key, machine, output_tokens AS o FROM usage ORDER BY key`).all()).toEqual([
      { key: 'm1', machine: 'b', o: 500 },
      { key: 'm1:advisor:0', machine: 'b', o: 9 },
    ]);
    expect(perMachine(db)).toEqual({ b: { messages: 2, tokens: 100 + 1 + 500 + 90 + 9 } });
  });

  it("counts Claude Code's telemetry of a request an agent also sent once, as the agent's row, in either order", () => {
    const a = agent({
      'p/s1.jsonl': [line('m1', 1, 's1', { requestId: 'req_1', cacheWrite: 30, cacheWrite1h: 10 })],
    });
    const record = {
      'session.id': 's1',
      model: 'claude-sonnet-4-5-20250929',
      input_tokens: 101,
      output_tokens: 20,
      cache_creation_tokens: 30,
      request_id: 'req_1',
      cost_usd: '0.01',
      'user.email': 'ana@example.org',
    };
    for (const telemetryFirst of [true, false]) {
      const { db, store } = hub();
      if (telemetryFirst) {
        expect(telemetry(store, 'a', [record])).toMatchObject({ accepted: 1 });
        expect(db.prepare(`SELECT key, project, user_name AS u FROM usage`).get()).toEqual({
          key: 'otel:req_1',
          project: TELEMETRY_PROJECT,
          u: 'ana@example.org',
        });
        push(store, a.db, 'a');
      } else {
        push(store, a.db, 'a');
        expect(telemetry(store, 'a', [record])).toMatchObject({ accepted: 0, duplicates: 1 });
      }
      expect(db.prepare(`SELECT key, project, cache_write_1h_tokens AS h FROM usage`).all()).toEqual([
        { key: 'm1', project: 'p', h: 10 },
      ]);
      expect(perMachine(db)).toEqual({ a: { messages: 1, tokens: 101 + 20 + 30 } });
    }
  });

  it('matches telemetry to a transcript row without a requestId by its tokens in the session', () => {
    const a = agent({
      'p/s1.jsonl': [line('m1', 1, 's1', { requestId: null }), line('m2', 2, 's1', { requestId: null })],
    });
    const { db, store } = hub();
    telemetry(store, 'a', [
      {
        'session.id': 's1',
        model: 'claude-sonnet-4-5-20250929',
        input_tokens: 101,
        output_tokens: 20,
        request_id: 'req_x',
      },
      // Same tokens, another session: another request.
      {
        'session.id': 's2',
        model: 'claude-sonnet-4-5-20250929',
        input_tokens: 101,
        output_tokens: 20,
        request_id: 'req_y',
      },
    ]);
    push(store, a.db, 'a');
    expect(db.prepare(`SELECT key FROM usage ORDER BY key`).pluck().all()).toEqual([
      'm1',
      'm2',
      'otel:req_y',
    ]);
    // A resend of the same telemetry changes nothing.
    expect(
      telemetry(store, 'a', [
        {
          'session.id': 's1',
          model: 'claude-sonnet-4-5-20250929',
          input_tokens: 101,
          output_tokens: 20,
          request_id: 'req_x',
        },
      ]),
    ).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(perMachine(db).a!.messages).toBe(3);
  });

  it("replaces a row its own machine sends again changed, and stores Claude Code's session cost figures", () => {
    const tree = fixtureTree();
    cleanups.push(() => tree.remove());
    tree.write('p/s1.jsonl', [line('m1', 1, 's1', { output: 5 })]);
    const index = testIndex([tree.claudeDir], tempDir());
    cleanups.push(() => index.close());
    index.ingester.pass();
    const { db, store } = hub();
    push(store, index.db, 'a');
    tree.append('p/s1.jsonl', [line('m1', 1, 's1', { output: 50 }), costStateLine('s1', 1.25)]);
    index.ingester.pass();
    expect(push(store, index.db, 'a')).toMatchObject({ accepted: 1, replaced: 1 });
    expect(db.prepare(`SELECT output_tokens FROM usage WHERE key = 'm1'`).pluck().get()).toBe(50);
    expect(db.prepare(`SELECT session_id, total_cost_usd FROM session_costs`).all()).toEqual([
      { session_id: 's1', total_cost_usd: 1.25 },
    ]);
    expect(perMachine(db)).toEqual({ a: { messages: 1, tokens: 101 + 50 } });
  });
});

describe('hub store, in any order', () => {
  /** Machine b holds some of a's sessions as they were earlier (a prefix of their lines) and some whole. */
  function machines(seed: number) {
    const root = tempDir();
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    generateTree({ root: join(root, 'a'), targetBytes: 1.2e6, days: 4, projects: 2, sessions: 24, seed });
    const pick = seededPick(seed);
    const files = (readdirSync(join(root, 'a'), { recursive: true }) as string[]).filter((p) =>
      p.endsWith('.jsonl'),
    );
    for (const path of files) {
      if (pick(3) === 0) continue;
      const lines = readFileSync(join(root, 'a', path), 'utf8')
        .split('\n')
        .filter(Boolean);
      const keep = pick(2) === 0 ? lines.length : pick(lines.length + 1);
      mkdirSync(dirname(join(root, 'b', path)), { recursive: true });
      writeFileSync(
        join(root, 'b', path),
        lines
          .slice(0, keep)
          .map((l) => l + '\n')
          .join(''),
      );
    }
    const index = (name: string) => {
      const i = testIndex([join(root, name)], join(root, `${name}-data`));
      i.ingester.pass();
      cleanups.push(() => i.close());
      return i.db;
    };
    return { a: index('a'), b: index('b'), pick };
  }

  /** Every machine's rows sent in batches of random sizes, the machines' batches interleaved at random, some
   * sent twice. */
  function sendShuffled(store: HubStore, from: Record<string, Db>, pick: (n: number) => number): void {
    const cursors = Object.fromEntries(Object.keys(from).map((m) => [m, 0]));
    const total = (m: string) =>
      (from[m]!.prepare('SELECT max(rowid) AS r FROM messages').get() as { r: number }).r;
    for (;;) {
      const open = Object.keys(from).filter((m) => cursors[m]! < total(m));
      if (open.length === 0) return;
      const machine = open[pick(open.length)]!;
      const rows = pushRows(from[machine]!, cursors[machine]!, 1 + pick(40));
      const send = () => {
        const mapped = mapRecords(
          decodeOtlpJson(usageLogsRequest(rows, [], { machine, user: 'u' }, 0)),
          machine,
        );
        if (!mapped.ok) throw new Error(mapped.forbidden);
        store.write(mapped.batch);
      };
      send();
      if (pick(4) === 0) send();
      cursors[machine] = rows.at(-1)!.rowid;
    }
  }

  const state = (db: Db) => ({
    rows: db
      .prepare(
        `SELECT key, machine, model, day, session_id, input_tokens, output_tokens, cache_read_tokens,
           cache_write_5m_tokens, cache_write_1h_tokens, round(cost_calc_usd, 9) AS cost
         FROM usage ORDER BY key`,
      )
      .all(),
    rollup: db
      .prepare(
        `SELECT day, model, project, machine, session_id, messages, total_tokens, round(cost_auto_usd, 9) AS cost
         FROM usage_daily ORDER BY 1, 2, 3, 4, 5`,
      )
      .all(),
  });

  it.each([31, 32, 33])(
    'ends the same whatever the order and the batches, nothing empty (seed %i)',
    (seed) => {
      const { a, b, pick } = machines(seed);
      const reference = hub();
      push(reference.store, a, 'a');
      push(reference.store, b, 'b');
      const want = state(reference.db);
      expect(want.rows.length).toBeGreaterThan(50);
      for (let round = 0; round < 4; round++) {
        const { db, store } = hub();
        sendShuffled(store, round % 2 ? { b, a } : { a, b }, pick);
        expect(state(db), `round ${round}`).toEqual(want);
        expect(rollupDrift(db), `round ${round}`).toEqual([]);
        perMachine(db);
      }
    },
  );
});
