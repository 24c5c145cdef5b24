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
import { createHubStore, TWIN_WINDOW_MS, type HubStore } from './hub-store.ts';
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
      `SELECT total(cost_calc_usd) AS m, (SELECT total(cost_calc_usd) FROM usage_daily) AS r
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

describe("hub store, Claude Code's telemetry without a request id", () => {
  const MODEL = 'claude-sonnet-4-5-20250929';
  /** An api_request event with the tokens of line('m1', 1, 's1'), stamped `after` ms after it as Claude Code
   *  stamps a response that has ended; no request id, as some Claude Code versions send it. */
  const event = (extra: Record<string, string | number> = {}, after = 40_000) => ({
    'session.id': 's1',
    model: MODEL,
    input_tokens: 101,
    output_tokens: 20,
    'event.timestamp': new Date(Date.parse(at(1)) + after).toISOString(),
    ...extra,
  });
  const rows = (db: Db) => db.prepare(`SELECT key, total_tokens AS t FROM usage ORDER BY key`).all();

  it.each([true, false])(
    "counts a response its agent also sent once, as the agent's row, resent or not (telemetry first: %s)",
    (telemetryFirst) => {
      const a = agent({ 'p/s1.jsonl': [line('m1', 1, 's1', { requestId: 'req_1' })] });
      const { db, store } = hub();
      if (telemetryFirst) {
        expect(telemetry(store, 'a', [event({ 'event.sequence': 1 })])).toMatchObject({ accepted: 1 });
        expect(push(store, a.db, 'a')).toMatchObject({ accepted: 1, replaced: 1 });
      } else {
        push(store, a.db, 'a');
        expect(telemetry(store, 'a', [event({ 'event.sequence': 1 })])).toMatchObject({
          accepted: 0,
          duplicates: 1,
        });
      }
      expect(rows(db)).toEqual([{ key: 'm1', t: 121 }]);
      // The event sent again (an OTLP retry) after the agent's row, and the agent's row again: still once.
      expect(telemetry(store, 'a', [event({ 'event.sequence': 1 })])).toMatchObject({
        accepted: 0,
        duplicates: 1,
      });
      push(store, a.db, 'a');
      expect(rows(db)).toEqual([{ key: 'm1', t: 121 }]);
      expect(perMachine(db)).toEqual({ a: { messages: 1, tokens: 121 } });
    },
  );

  it('keeps events of equal tokens apart: each is a response of its own', () => {
    const { db, store } = hub();
    const sequenced = [event({ 'event.sequence': 1 }), event({ 'event.sequence': 2 })];
    const timed = [event({ 'session.id': 's2' }, 0), event({ 'session.id': 's2' }, 9_000)];
    expect(telemetry(store, 'a', [...sequenced, ...timed])).toMatchObject({ accepted: 4 });
    expect(telemetry(store, 'a', [...timed, ...sequenced])).toMatchObject({ accepted: 0, duplicates: 4 });
    expect(perMachine(db)).toEqual({ a: { messages: 4, tokens: 4 * 121 } });
  });

  it("takes an event for an agent's row of its tokens and session only near the row's time", () => {
    const a = agent({ 'p/s1.jsonl': [line('m1', 1, 's1')] });
    const { db, store } = hub();
    push(store, a.db, 'a');
    telemetry(store, 'a', [
      event({ 'event.sequence': 1 }),
      // The same tokens 20 minutes later: another response.
      event({ 'event.sequence': 2 }, TWIN_WINDOW_MS + 60_000),
    ]);
    expect(rows(db)).toEqual([
      { key: 'm1', t: 121 },
      { key: 'otel:s1:2', t: 121 },
    ]);
    // A limit: an event only telemetry saw (a side call) with the tokens of a row near it is taken for that
    // row too.
    telemetry(store, 'a', [event({ 'event.sequence': 3 }, 60_000)]);
    expect(perMachine(db)).toEqual({ a: { messages: 2, tokens: 2 * 121 } });
  });

  it("counts an event again when its twin's row is replaced by a copy that is no twin of it, in any order", () => {
    // b holds an earlier copy of m1 (its streaming start, 5 output tokens), a the whole response. The event
    // has the earlier copy's tokens: Claude Code logs a response's final usage, so it is another response.
    const early = agent({ 'p/s1.jsonl': [line('m1', 1, 's1', { output: 5 })] });
    const whole = agent({ 'p/s1.jsonl': [line('m1', 1, 's1')] });
    const steps = {
      early: (store: HubStore) => push(store, early.db, 'b'),
      whole: (store: HubStore) => push(store, whole.db, 'a'),
      event: (store: HubStore) => telemetry(store, 'a', [event({ output_tokens: 5, 'event.sequence': 1 })]),
    };
    const orders: (keyof typeof steps)[][] = [
      ['early', 'event', 'whole'],
      ['event', 'early', 'whole'],
      ['early', 'whole', 'event'],
      ['whole', 'early', 'event'],
      ['event', 'whole', 'early'],
      ['whole', 'event', 'early'],
    ];
    for (const order of orders) {
      const { db, store } = hub();
      for (const step of order) steps[step](store);
      expect(rows(db), order.join(', ')).toEqual([
        { key: 'm1', t: 121 },
        { key: 'otel:s1:1', t: 106 },
      ]);
      expect(rollupDrift(db), order.join(', ')).toEqual([]);
    }
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

  type Event = Record<string, string | number>;
  interface Row {
    key: string;
    sessionId: string;
    requestId: string | null;
    ts: number;
    model: string;
    input: number;
    output: number;
    cacheRead: number;
    cacheWrite: number;
  }
  const ROWS = `SELECT key, session_id AS sessionId, request_id AS requestId, ts, model, input_tokens AS input,
    output_tokens AS output, cache_read_tokens AS cacheRead,
    cache_write_5m_tokens + cache_write_1h_tokens AS cacheWrite
    FROM usage WHERE advisor_of IS NULL ORDER BY key`;

  /** Machine a's Claude Code telemetry, none of it with a request id unless said: twins of a third of the
   *  responses the hub counts (stamped up to two minutes after the transcript, a quarter of them with the
   *  request id), events of the same tokens 20 minutes later (other responses), twins of earlier copies b
   *  holds that the whole response replaces (other responses too: Claude Code logs a response's final
   *  usage), and side calls only telemetry sees, three of equal tokens per session. */
  function telemetryEvents(hubDb: Db, b: Db, pick: (n: number) => number): Event[] {
    const events: Event[] = [];
    const sequences = new Map<string, number>();
    const add = (r: Omit<Row, 'key'>, after: number, requestId: string | null = null) => {
      const sequence = (sequences.get(r.sessionId) ?? 0) + 1;
      sequences.set(r.sessionId, sequence);
      events.push({
        'session.id': r.sessionId,
        model: r.model,
        input_tokens: r.input,
        output_tokens: r.output,
        cache_read_tokens: r.cacheRead,
        cache_creation_tokens: r.cacheWrite,
        'event.timestamp': new Date(r.ts + after).toISOString(),
        'event.sequence': sequence,
        ...(requestId === null ? {} : { request_id: requestId }),
      });
    };
    const counted = hubDb.prepare(ROWS).all() as Row[];
    const final = new Map(counted.map((r) => [r.key, r]));
    for (const r of counted) {
      const roll = pick(12);
      if (roll < 4) add(r, pick(120_000), roll === 0 ? r.requestId : null);
      else if (roll === 4) add(r, TWIN_WINDOW_MS + 5 * 60_000);
    }
    for (const r of b.prepare(ROWS).all() as Row[]) {
      const f = final.get(r.key);
      if (f && (f.input !== r.input || f.output !== r.output || f.cacheRead !== r.cacheRead)) add(r, 30_000);
    }
    for (const sessionId of new Set(counted.map((r) => r.sessionId))) {
      const first = counted.find((r) => r.sessionId === sessionId)!;
      const side = { ...first, model: 'claude-haiku-4-5-20251001', input: 90, output: 12, cacheRead: 0 };
      for (let i = 0; i < 3; i++) add({ ...side, cacheWrite: 0 }, 1_000 * i);
    }
    return events;
  }

  /** Every machine's rows sent in batches of random sizes, and the telemetry events shuffled, some twice, in
   *  batches of their own; all the batches interleaved at random, some sent twice. */
  function sendShuffled(
    store: HubStore,
    from: Record<string, Db>,
    pick: (n: number) => number,
    telemetryOf: { machine: string; events: Event[] } = { machine: 'a', events: [] },
  ): void {
    const events = [...telemetryOf.events];
    for (let i = events.length - 1; i > 0; i--) {
      const j = pick(i + 1);
      [events[i], events[j]] = [events[j]!, events[i]!];
    }
    for (let n = events.length >> 3; n > 0; n--)
      events.splice(pick(events.length), 0, events[pick(events.length)]!);
    let sent = 0;
    const cursors = Object.fromEntries(Object.keys(from).map((m) => [m, 0]));
    const total = (m: string) =>
      (from[m]!.prepare('SELECT max(rowid) AS r FROM messages').get() as { r: number }).r;
    for (;;) {
      const open = Object.keys(from).filter((m) => cursors[m]! < total(m));
      if (sent < events.length) open.push('');
      if (open.length === 0) return;
      const machine = open[pick(open.length)]!;
      if (machine === '') {
        const batch = events.slice(sent, sent + 1 + pick(20));
        telemetry(store, telemetryOf.machine, batch);
        if (pick(4) === 0) telemetry(store, telemetryOf.machine, batch);
        sent += batch.length;
        continue;
      }
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
    telemetry: db
      .prepare(`SELECT key, superseded FROM messages WHERE key >= 'otel:' AND key < 'otel;' ORDER BY key`)
      .all() as { key: string; superseded: number }[],
    rows: db
      .prepare(
        `SELECT key, machine, model, day, session_id, input_tokens, output_tokens, cache_read_tokens,
           cache_write_5m_tokens, cache_write_1h_tokens, round(cost_calc_usd, 9) AS cost
         FROM usage ORDER BY key`,
      )
      .all(),
    rollup: db
      .prepare(
        `SELECT day, model, project, machine, session_id, messages, total_tokens, cost_auto_usd AS cost
         FROM usage_daily ORDER BY 1, 2, 3, 4, 5`,
      )
      .all() as { cost: number }[],
  });

  it.each([31, 32, 33])(
    'ends the same whatever the order and the batches, nothing empty (seed %i)',
    (seed) => {
      const { a, b, pick } = machines(seed);
      const reference = hub();
      push(reference.store, a, 'a');
      push(reference.store, b, 'b');
      const events = telemetryEvents(reference.db, b, pick);
      telemetry(reference.store, 'a', events);
      const want = state(reference.db);
      expect(want.rows.length).toBeGreaterThan(50);
      // A group's cost is a sum of floats, added (and taken away) in another order in every round.
      const closeCosts = {
        ...want,
        rollup: want.rollup.map((g) => ({ ...g, cost: expect.closeTo(g.cost, 9) })),
      };
      // Telemetry rows both counted (on their own) and superseded (by their agent's twin).
      const superseded = want.telemetry.filter((t) => t.superseded === 1);
      expect(superseded.length).toBeGreaterThan(10);
      expect(want.telemetry.length - superseded.length).toBeGreaterThan(10);
      for (let round = 0; round < 4; round++) {
        const { db, store } = hub();
        sendShuffled(store, round % 2 ? { b, a } : { a, b }, pick, { machine: 'a', events });
        expect(state(db), `round ${round}`).toEqual(closeCosts);
        expect(rollupDrift(db), `round ${round}`).toEqual([]);
        perMachine(db);
      }
    },
  );
});
