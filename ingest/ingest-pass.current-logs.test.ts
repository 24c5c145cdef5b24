// The logs Claude Code writes since September 2026 (2.1.24x–2.1.29x), through real passes over real SQLite
// files: content-block lines of one response repeating its usage with and without a requestId, advisor
// iterations, Claude Code's cost-state and limit-hit lines, line types of today, spaced JSON, workflows.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  advisorIteration,
  assistantLine,
  costStateLine,
  limitHitLine,
  userLine,
  type AssistantLineOptions,
} from '../test/fixtures/fixture-lines.ts';
import { at, fixtureTree, tempDir, testIndex, totals, usageRows } from '../test/fixtures/fixture-tree.ts';
import { createMessageStore } from './message-store.ts';
import { runPass } from './ingest-pass.ts';
import { loadPricing } from '../src/pricing/load-pricing.ts';
import { rollupDrift } from '../src/db/queries/rollup-drift.ts';
import { openDb } from '../src/db/open.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function setup(parallelBytes: number) {
  const root = tempDir();
  const tree = fixtureTree(root);
  const index = testIndex([tree.claudeDir], root);
  cleanups.push(() => {
    index.close();
    tree.remove();
  });
  const store = createMessageStore(index.db, { timezone: 'UTC', pricing: loadPricing() });
  return {
    root,
    tree,
    db: index.db,
    store,
    pass: () => runPass({ claudeDirs: [tree.claudeDir], store, parallelBytes }),
  };
}

const line = (o: Partial<AssistantLineOptions> & { id: string }): string =>
  assistantLine({ timestamp: at(0), sessionId: 's1', ...o });

describe.each([
  ['one thread', Infinity],
  ['reader thread', 0],
])('%s', (_mode, parallelBytes) => {
  it('one response = one message id: block lines with, without and with a null requestId count once, the largest total', () => {
    const { tree, db, pass } = setup(parallelBytes);
    const usage = { input: 3, output: 400, cacheRead: 9000, cacheWrite: 120 };
    tree.write('p/s1.jsonl', [
      line({ id: 'msg_A', requestId: 'req_A', apiBlockIndex: 0, ...usage, output: 1 }),
      line({ id: 'msg_A', requestId: null, apiBlockIndex: 1, ...usage }),
      line({ id: 'msg_A', requestId: 'req_A', apiBlockIndex: 2, ...usage }),
      JSON.stringify({ ...JSON.parse(line({ id: 'msg_A', apiBlockIndex: 3, ...usage })), requestId: null }),
      // A whole response without requestId.
      line({ id: 'msg_B', requestId: null, apiBlockIndex: 0, output: 7 }),
      line({ id: 'msg_B', requestId: null, apiBlockIndex: 1, output: 7 }),
    ]);
    const s = pass();
    expect(usageRows(db).map((r) => [r.key, r.output, r.total])).toEqual([
      ['msg_A', 400, 3 + 400 + 9000 + 120],
      ['msg_B', 7, 17],
    ]);
    expect(s).toMatchObject({ newMessages: 2, replacedMessages: 1, duplicateLines: 3 });
    // Read again from the start (a rewrite): still once.
    tree.write('p/s1.jsonl', [
      line({ id: 'msg_A', ...usage }),
      line({ id: 'msg_B', requestId: null, output: 7 }),
    ]);
    pass();
    expect(totals(db).messages).toBe(2);
  });

  it('a sidechain replay of a parent under a new requestId counts once, as the parent, whichever is read first', () => {
    const { tree, db, pass } = setup(parallelBytes);
    tree.write('p/s1/subagents/agent-x.jsonl', [
      line({ id: 'msg_P', requestId: 'req_replay', isSidechain: true, agentId: 'x', output: 40 }),
    ]);
    pass();
    tree.write('p/s1.jsonl', [line({ id: 'msg_P', requestId: 'req_parent', output: 40 })]);
    pass();
    expect(usageRows(db).map((r) => [r.key, r.requestId, r.isSidechain])).toEqual([
      ['msg_P', 'req_parent', 0],
    ]);
  });

  it('advisor usage counts under its own model, in addition to the answering model; copies count it once', () => {
    const { tree, db, pass } = setup(parallelBytes);
    const iterations = [
      { type: 'message', input_tokens: 50, output_tokens: 20 },
      advisorIteration('claude-fable-5-1', 5000, 700, 1000),
    ];
    tree.write('p/s1.jsonl', [
      line({ id: 'msg_C', model: 'claude-sonnet-5-5', input: 50, output: 20, iterations, apiBlockIndex: 0 }),
      line({ id: 'msg_C', model: 'claude-sonnet-5-5', input: 50, output: 20, iterations, requestId: null }),
    ]);
    pass();
    expect(usageRows(db).map((r) => [r.key, r.model, r.input, r.output, r.cacheRead])).toEqual([
      ['msg_C', 'claude-sonnet-5-5', 50, 20, 0],
      ['msg_C:advisor:0', 'claude-fable-5-1', 5000, 700, 1000],
    ]);
    const daily = db
      .prepare('SELECT model, messages, total_tokens AS t FROM usage_daily ORDER BY model')
      .all();
    expect(daily).toEqual([
      { model: 'claude-fable-5-1', messages: 1, t: 6700 },
      { model: 'claude-sonnet-5-5', messages: 1, t: 70 },
    ]);
  });

  it("cost-state: the session's last line wins, never added to totals; a limit hit is recorded, not usage", () => {
    const { tree, db, pass } = setup(parallelBytes);
    const reset = Date.parse(at(300));
    tree.write('p/s1.jsonl', [
      line({ id: 'msg_D', output: 10 }),
      costStateLine('s1', 0.5, { 'claude-opus-5[1m]': { costUSD: 0.5 } }),
      limitHitLine({ sessionId: 's1', timestamp: at(5), resetsAt: reset / 1000, uuid: 'hit-1' }),
      costStateLine('s1', 1.25, { 'claude-opus-5[1m]': { costUSD: 1.25 } }),
    ]);
    const s = pass();
    expect(s.skipped).toEqual({});
    expect(totals(db).messages).toBe(1);
    expect(
      db.prepare('SELECT session_id, total_cost_usd, model_usage_json FROM session_costs').all(),
    ).toEqual([
      { session_id: 's1', total_cost_usd: 1.25, model_usage_json: '{"claude-opus-5":{"costUSD":1.25}}' },
    ]);
    expect(
      db.prepare('SELECT key, ts, session_id, project, rate_limit_type, resets_at FROM limit_hits').all(),
    ).toEqual([
      {
        key: 'hit-1',
        ts: Date.parse(at(5)),
        session_id: 's1',
        project: 'p',
        rate_limit_type: 'five_hour',
        resets_at: reset,
      },
    ]);
    // Appending more keeps the later figure, written with spaces too; re-reading the file counts the hit once.
    tree.append('p/s1.jsonl', [
      JSON.stringify(JSON.parse(costStateLine('s1', 2)), null, 1).replace(/\n/g, ''),
    ]);
    expect(pass().ignoredTypes).toEqual({});
    tree.write('p/s1.jsonl', [
      limitHitLine({ sessionId: 's1', timestamp: at(5), resetsAt: reset, uuid: 'hit-1' }),
    ]);
    pass();
    expect(db.prepare('SELECT total_cost_usd FROM session_costs').pluck().get()).toBe(2);
    expect(db.prepare('SELECT count(*) FROM limit_hits').pluck().get()).toBe(1);
  });

  it('a line type named like an object property is counted like any other', () => {
    const { tree, pass } = setup(parallelBytes);
    tree.write('p/s1.jsonl', [
      line({ id: 'msg_P', output: 1 }),
      ...['constructor', 'toString', '__proto__', 'hasOwnProperty', '__proto__'].map((type) =>
        JSON.stringify({ type, uuid: 'u' }),
      ),
    ]);
    const s = pass();
    expect({ ...s.ignoredTypes }).toEqual({
      constructor: 1,
      toString: 1,
      ['__proto__']: 2,
      hasOwnProperty: 1,
    });
    expect(s.ignoredLines).toBe(5);
  });

  it("today's line types are ignored quietly and counted by type, never as bad lines; spaced JSON is read", () => {
    const { tree, db, pass } = setup(parallelBytes);
    const types = [
      'attachment',
      'atis-latch',
      'bridge-session',
      'file-history-delta',
      'mode',
      'permission-mode',
    ];
    tree.write('p/s1.jsonl', [
      userLine('s1', at(0)),
      ...types.map((type) => JSON.stringify({ type, sessionId: 's1', data: { type: 'inner' } })),
      JSON.stringify({ type: 'ai-title', title: 'x' }),
      JSON.stringify({ type: 'last-prompt', usage: { input_tokens: 1 } }),
      JSON.stringify({ type: 'system', subtype: 'compact_boundary' }),
      JSON.stringify({ type: 'system', subtype: 'api_error', error: { usage: {} } }),
      JSON.stringify({ type: 'artifact-snapshot', artifact: {} }),
      JSON.stringify({ type: 'queue-operation', operation: 'enqueue' }),
      JSON.stringify(JSON.parse(line({ id: 'msg_S', output: 33 })), null, 1).replace(/\n/g, ' '),
    ]);
    const s = pass();
    expect(s.skipped).toEqual({});
    expect(usageRows(db).map((r) => [r.key, r.output])).toEqual([['msg_S', 33]]);
    expect(s.ignoredTypes).toEqual({
      user: 1,
      ...Object.fromEntries(types.map((t) => [t, 1])),
      'ai-title': 1,
      'last-prompt': 1,
      system: 2,
      'artifact-snapshot': 1,
      'queue-operation': 1,
    });
  });

  it('workflow subagents belong to their session', () => {
    const { tree, db, pass } = setup(parallelBytes);
    const sub = JSON.parse(line({ id: 'msg_W', isSidechain: true }));
    delete sub.sessionId;
    tree.write('p/sess-w/subagents/workflows/wf1/agent-a7.jsonl', [JSON.stringify(sub)]);
    pass();
    expect(usageRows(db).map((r) => [r.key, r.sessionId, r.agentId, r.project])).toEqual([
      ['msg_W', 'sess-w', 'a7', 'p'],
    ]);
  });
});

describe('advisor rows follow the copy of their response that counts', () => {
  it.each([
    ['one thread', Infinity],
    ['reader thread', 0],
  ])(
    '%s: a losing copy brings no advisor rows; a winner replacing a stored copy replaces its advisor rows',
    (_m, bytes) => {
      const { tree, db, pass } = setup(bytes);
      const advisor = (input: number) => [advisorIteration('claude-fable-5-1', input, 10)];
      // A sidechain replay with an advisor the parent does not have: the parent counts, without it.
      tree.write('p/s1.jsonl', [
        line({ id: 'msg_R', output: 5 }),
        line({ id: 'msg_R', output: 5, isSidechain: true, iterations: advisor(999) }),
      ]);
      pass();
      expect(usageRows(db).map((r) => r.key)).toEqual(['msg_R']);
      // A stored response with two advisor parts, then a bigger copy with one: one advisor row, the new one.
      tree.write('p/s2.jsonl', [
        line({ id: 'msg_T', output: 5, iterations: [...advisor(100), ...advisor(200)], sessionId: 's2' }),
      ]);
      pass();
      tree.append('p/s2.jsonl', [
        line({ id: 'msg_T', output: 50, iterations: advisor(300), sessionId: 's2' }),
      ]);
      pass();
      expect(usageRows(db).map((r) => [r.key, r.input])).toEqual([
        ['msg_R', 10],
        ['msg_T', 10],
        ['msg_T:advisor:0', 300],
      ]);
    },
  );
});

describe('a cold load builds the secondary indexes once, at the end', () => {
  it('drops them during the load, restores them after it, and after a load that was killed half way', () => {
    const { tree, db, store } = setup(Infinity);
    const indexes = () =>
      db
        .prepare(
          `SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL ORDER BY name`,
        )
        .pluck()
        .all();
    const before = indexes();
    expect(before).toContain('messages_day');
    tree.write('p/s1.jsonl', [line({ id: 'msg_1' })]);
    let during: unknown[] = [];
    store.bulk(() => {
      during = indexes();
      runPass({ claudeDirs: [tree.claudeDir], store, parallelBytes: Infinity });
    });
    expect(during).toEqual(['messages_advisor_of']);
    expect(indexes()).toEqual(before);
    // A load killed inside bulk(): the definitions wait in meta; the next store puts the indexes back.
    db.exec('DELETE FROM messages; DELETE FROM usage_daily; DELETE FROM project_cwds');
    expect(() =>
      store.bulk(() => {
        throw new Error('killed');
      }),
    ).toThrow('killed');
    const saved = before.filter((n) => n !== 'messages_advisor_of');
    db.exec(saved.map((n) => `DROP INDEX ${n as string};`).join(''));
    db.prepare(`INSERT INTO meta VALUES ('deferred_indexes', ?)`).run(
      JSON.stringify(saved.map((name) => ({ name, sql: `CREATE INDEX ${name as string} ON messages (ts)` }))),
    );
    createMessageStore(db, { timezone: 'UTC', pricing: loadPricing() });
    expect(indexes()).toEqual(before);
    expect(db.prepare(`SELECT count(*) FROM meta WHERE key = 'deferred_indexes'`).pluck().get()).toBe(0);
  });
});

describe('a cold load is one transaction and sums usage_daily once, at the end', () => {
  it('tells of its commits once the rollup is complete; a load killed half way has it summed by the next store', () => {
    const { root, tree, db, store } = setup(0);
    const rollupRows = () => db.prepare('SELECT count(*) FROM usage_daily').pluck().get() as number;
    // Another connection, as the site's and the API's: the load is one transaction, seen whole or not at all.
    const other = openDb(join(root, 'ctm.db'), { readonly: true });
    cleanups.push(() => other.close());
    const messagesSeen = () => other.prepare('SELECT count(*) FROM messages').pluck().get() as number;
    /** A reader threads' pass (the one a big first pass takes) in batches of one file: the messages the other
     *  connection sees after each file, and each change set told with the rollup's state then. */
    const watchedPass = () => {
      const seen: number[] = [];
      const told: { days: string[]; drift: unknown[]; rows: number }[] = [];
      runPass({
        claudeDirs: [tree.claudeDir],
        store,
        parallelBytes: 0,
        batchBytes: 1,
        onProgress: (p) => {
          if (p.filesDone > 0) seen.push(messagesSeen());
        },
        onCommit: (changes) =>
          told.push({ days: [...changes.days].sort(), drift: rollupDrift(db), rows: rollupRows() }),
      });
      return { seen, told };
    };
    tree.write('p/s1.jsonl', [line({ id: 'msg_1' }), line({ id: 'msg_2', timestamp: at(1440) })]);
    tree.write('p/s2.jsonl', [line({ id: 'msg_3', sessionId: 's2', model: 'claude-sonnet-4-5-20250929' })]);
    const cold = watchedPass();
    expect(cold.seen).toEqual([0, 0]);
    expect(messagesSeen()).toBe(3);
    // One change set for the whole load, told when usage_daily already matches the messages.
    expect(cold.told).toEqual([{ days: [at(0).slice(0, 10), at(1440).slice(0, 10)], drift: [], rows: 3 }]);
    expect(db.prepare(`SELECT count(*) FROM meta WHERE key = 'deferred_rollup'`).pluck().get()).toBe(0);
    // A warm pass (messages stored) keeps the rollup in step as it commits, and tells of each batch.
    tree.append('p/s1.jsonl', [line({ id: 'msg_4', timestamp: at(1) })]);
    tree.write('p/s3.jsonl', [line({ id: 'msg_5', sessionId: 's3' })]);
    const warm = watchedPass();
    // Batches of one file: progress is told inside a file's batch, which commits before the next file's.
    expect(warm.seen).toEqual([3, 4]);
    expect(warm.told).toEqual([
      { days: [at(0).slice(0, 10)], drift: [], rows: 3 },
      { days: [at(0).slice(0, 10)], drift: [], rows: 4 },
    ]);
    // Killed inside a cold load: messages committed, usage_daily not summed yet, the marker still in meta.
    db.exec(
      `DELETE FROM messages; DELETE FROM usage_daily; INSERT INTO meta VALUES ('deferred_rollup', '1')`,
    );
    db.prepare(
      `INSERT INTO messages (key, message_id, file_id, line_no, ts, day, hour, model, session_id, project,
         input_tokens, output_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens,
         total_tokens, superseded)
       VALUES ('msg_9', 'msg_9', 1, 1, ?, ?, 0, 'claude-opus-4-5', 's9', 'p', 1, 2, 3, 4, 5, 15, 0)`,
    ).run(Date.parse(at(0)), at(0).slice(0, 10));
    expect(rollupRows()).toBe(0);
    createMessageStore(db, { timezone: 'UTC', pricing: loadPricing() });
    expect(rollupRows()).toBe(1);
    expect(rollupDrift(db)).toEqual([]);
    expect(db.prepare(`SELECT count(*) FROM meta WHERE key = 'deferred_rollup'`).pluck().get()).toBe(0);
  });
});
