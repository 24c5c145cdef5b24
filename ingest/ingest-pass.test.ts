// The accounting rules and incremental reads, through real passes over real SQLite files. Every case runs
// three times: parsing on the writing thread; on a reader thread (the path big passes take), the writing
// thread kept out of it; and on both, as big passes run (the writing thread reads whenever it would wait).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, renameSync, rmSync, utimesSync } from 'node:fs';
import { assistantLine, userLine, type AssistantLineOptions } from '../test/fixtures/fixture-lines.ts';
import {
  at,
  fixtureTree,
  tempDir,
  testIndex,
  totals,
  usageRows,
  type FixtureTree,
} from '../test/fixtures/fixture-tree.ts';
import { createMessageStore } from './message-store.ts';
import { runPass, type PassProgress } from './ingest-pass.ts';
import { loadPricing } from '../src/pricing/load-pricing.ts';

let parallelBytes: number | undefined;
let writerReads = false;

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function setup(dirs = 1) {
  const root = tempDir();
  const trees: FixtureTree[] = [];
  for (let i = 0; i < dirs; i++) trees.push(fixtureTree(root, `claude${i}`));
  const index = testIndex(
    trees.map((t) => t.claudeDir),
    root,
  );
  cleanups.push(() => {
    index.close();
    trees[0]!.remove();
  });
  const store = createMessageStore(index.db, { timezone: 'UTC', pricing: loadPricing() });
  const ingester = {
    pass: () => runPass({ claudeDirs: trees.map((t) => t.claudeDir), store, parallelBytes, writerReads }),
  };
  return { tree: trees[0]!, trees, db: index.db, ingester };
}

const line = (o: Partial<AssistantLineOptions> & { id: string }): string =>
  assistantLine({ timestamp: at(0), ...o });

/** Sets a file's mtime so passes read files in a chosen order (oldest first). */
function age(path: string, secondsAgo: number): void {
  const t = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(path, t, t);
}

describe.each([
  ['one thread', Infinity, false],
  ['reader thread', 0, false],
  ['reader thread and the writer', 0, true],
])('%s', (_mode, bytes, writer) => {
  beforeEach(() => {
    parallelBytes = bytes;
    writerReads = writer;
  });

  describe('accounting', () => {
    it('counts only assistant lines with usage; progress copies, other types and <synthetic> are not counted', () => {
      const { tree, ingester, db } = setup();
      tree.write('-home-me-repo/s1.jsonl', [
        userLine('s1', at(0)),
        line({ id: 'm1', input: 100, output: 50 }),
        JSON.stringify({
          type: 'progress',
          timestamp: at(1),
          data: { message: JSON.parse(line({ id: 'sub1', output: 999 })) },
        }),
        JSON.stringify({ type: 'summary', summary: 'x' }),
        JSON.stringify({ type: 'system', subtype: 'x', message: { usage: { input_tokens: 5 } } }),
        line({ id: 'syn', model: '<synthetic>', output: 0, input: 0 }),
        JSON.stringify({ ...JSON.parse(line({ id: 'nousage' })), message: { id: 'nousage', model: 'x' } }),
      ]);
      const s = ingester.pass();
      expect(usageRows(db).map((r) => r.key)).toEqual(['m1']);
      expect(s.newMessages).toBe(1);
      expect(s.skipped).toEqual({});
    });

    it('streaming copies of one response: the largest total is kept, whatever the order', () => {
      const { tree, ingester, db } = setup();
      tree.write('p/s1.jsonl', [
        line({ id: 'a', requestId: 'r1', output: 1, input: 3, cacheRead: 1000 }),
        line({ id: 'a', requestId: 'r1', output: 420, input: 3, cacheRead: 1000 }),
        line({ id: 'a', requestId: 'r1', output: 420, input: 3, cacheRead: 1000 }),
        line({ id: 'b', requestId: 'r2', output: 300 }),
        line({ id: 'b', requestId: 'r2', output: 8 }),
      ]);
      const s = ingester.pass();
      const rows = usageRows(db);
      expect(rows.map((r) => [r.key, r.output])).toEqual([
        ['a', 420],
        ['b', 300],
      ]);
      expect(s).toMatchObject({ newMessages: 2, replacedMessages: 1, duplicateLines: 2 });
    });

    it('a copy replaced in the same batch by a larger one of another session leaves no empty rollup row', () => {
      // A resumed session's file holds a larger copy of a response first stored from the earlier session's file:
      // the earlier session's group gains the response and loses it again within one batch.
      const { tree, ingester, db } = setup();
      age(tree.write('p/first.jsonl', [line({ id: 'a', sessionId: 'first', output: 5 })]), 30);
      age(tree.write('p/resumed.jsonl', [line({ id: 'a', sessionId: 'resumed', output: 50 })]), 10);
      ingester.pass();
      expect(usageRows(db).map((r) => [r.key, r.sessionId, r.output])).toEqual([['a', 'resumed', 50]]);
      const empty = (table: string) =>
        db.prepare(`SELECT count(*) AS n FROM ${table} WHERE messages <= 0`).get();
      for (const table of ['usage_daily', 'usage_by_project', 'usage_by_machine', 'usage_by_day'])
        expect(empty(table), table).toEqual({ n: 0 });
    });

    it('on a tie the earlier copy stays unless the later one has usage.speed', () => {
      const { tree, ingester, db } = setup();
      tree.write('p/s1.jsonl', [
        line({ id: 'tie', costUSD: 1 }),
        line({ id: 'tie', costUSD: 2 }),
        line({ id: 'fast', costUSD: 1 }),
        line({ id: 'fast', costUSD: 2, speed: 'fast' }),
        line({ id: 'fast', costUSD: 3 }),
      ]);
      ingester.pass();
      const rows = usageRows(db);
      expect(rows.map((r) => [r.messageId, r.costLogged, r.speed])).toEqual([
        ['fast', 2, 'fast'],
        ['tie', 1, null],
      ]);
    });

    it('dedup is global: across files of one dir and across two config dirs', () => {
      const { trees, ingester, db } = setup(2);
      const [a, b] = trees as [FixtureTree, FixtureTree];
      age(a.write('p/s1.jsonl', [line({ id: 'x', output: 1 }), line({ id: 'y', output: 10 })]), 30);
      // A resumed session copies earlier lines into a new file; a second config dir holds a fork.
      age(a.write('p/s2.jsonl', [line({ id: 'x', output: 77, sessionId: 's2' }), line({ id: 'z' })]), 20);
      age(
        b.write('q/s3.jsonl', [line({ id: 'y', output: 10, sessionId: 's3' }), line({ id: 'x', output: 5 })]),
        10,
      );
      ingester.pass();
      expect(usageRows(db).map((r) => [r.key, r.output])).toEqual([
        ['x', 77],
        ['y', 10],
        ['z', 5],
      ]);
      const again = ingester.pass();
      expect(again).toMatchObject({ filesRead: 0, newMessages: 0 });
    });

    it('key without requestId is message.id, so copies without requestId dedupe too', () => {
      const { tree, ingester, db } = setup();
      tree.write('p/s1.jsonl', [
        line({ id: 'n', requestId: null, output: 2 }),
        line({ id: 'n', requestId: null, output: 9 }),
      ]);
      ingester.pass();
      expect(usageRows(db).map((r) => [r.key, r.requestId, r.output])).toEqual([['n', null, 9]]);
    });

    describe('sidechain replays (same message.id, new requestId) are the same response: it counts once, as the parent', () => {
      const parent = line({ id: 'p1', requestId: 'r-parent', output: 40 });
      const replay = line({ id: 'p1', requestId: 'r-replay', output: 40, isSidechain: true, agentId: 'ag' });
      const own = line({ id: 'own', requestId: 'r-own', output: 7, isSidechain: true, agentId: 'ag' });

      it.each([
        ['parent first', [parent, replay, own]],
        ['replay first', [replay, own, parent]],
      ])('same file, %s', (_n, lines) => {
        const { tree, ingester, db } = setup();
        tree.write('p/s1.jsonl', lines);
        ingester.pass();
        expect(usageRows(db).map((r) => [r.key, r.requestId, r.isSidechain])).toEqual([
          ['own', 'r-own', 1],
          ['p1', 'r-parent', 0],
        ]);
      });

      it.each([
        ['replay file read first', 30, 10],
        ['parent file read first', 10, 30],
      ])('across files and passes, %s', (_n, replayAge, parentAge) => {
        const { tree, ingester, db } = setup();
        age(tree.write('p/s1/subagents/agent-ag.jsonl', [replay, own]), replayAge);
        age(tree.write('p/s1.jsonl', [parent]), parentAge);
        ingester.pass();
        const keys = (d: typeof db) => usageRows(d).map((r) => [r.key, r.requestId]);
        expect(keys(db)).toEqual([
          ['own', 'r-own'],
          ['p1', 'r-parent'],
        ]);
        // Arrival over two passes, replay first.
        const second = setup();
        second.tree.write('p/s1/subagents/agent-ag.jsonl', [replay, own]);
        second.ingester.pass();
        expect(keys(second.db)).toEqual([
          ['own', 'r-own'],
          ['p1', 'r-replay'],
        ]);
        second.tree.write('p/s1.jsonl', [parent]);
        const s = second.ingester.pass();
        expect(keys(second.db)).toEqual([
          ['own', 'r-own'],
          ['p1', 'r-parent'],
        ]);
        expect(s.changes.sessions.has('s1') || s.changes.sessions.has('session-1')).toBe(true);
      });
    });

    it('all three subagent layouts are found and attributed to the parent session and project', () => {
      const { tree, ingester, db } = setup();
      // 1.0.x: sidechain lines inline in the session file.
      tree.write('-home-me-repo/sess-a.jsonl', [
        line({ id: 'a-main', sessionId: 'sess-a' }),
        line({ id: 'a-side', sessionId: 'sess-a', isSidechain: true }),
      ]);
      // 2.0.x: agent-<id>.jsonl beside the session, lines carry the parent's sessionId.
      tree.write('-home-me-repo/agent-b1.jsonl', [
        line({ id: 'b-side', sessionId: 'sess-b', isSidechain: true }),
      ]);
      tree.write('-home-me-repo/sess-b.jsonl', [line({ id: 'b-main', sessionId: 'sess-b' })]);
      // 2.1.x: <session>/subagents/agent-*.jsonl; without sessionId on the line the folder names the session.
      tree.write('-home-me-other/sess-c.jsonl', [
        line({ id: 'c-main', sessionId: 'sess-c', cwd: '/home/me/other' }),
      ]);
      const sub = JSON.parse(line({ id: 'c-side', isSidechain: true, cwd: '/home/me/other' }));
      delete sub.sessionId;
      tree.write('-home-me-other/sess-c/subagents/agent-c9.jsonl', [JSON.stringify(sub)]);
      tree.write('-home-me-other/sess-c/subagents/deeper/agent-c10.jsonl', [
        line({ id: 'c-deep', sessionId: 'sess-c', isSidechain: true, agentId: 'c10', cwd: '/home/me/other' }),
      ]);
      ingester.pass();
      expect(
        usageRows(db).map((r) => [r.messageId, r.sessionId, r.project, r.cwd, r.isSidechain, r.agentId]),
      ).toEqual([
        ['a-main', 'sess-a', '-home-me-repo', '/home/me/repo', 0, null],
        ['a-side', 'sess-a', '-home-me-repo', '/home/me/repo', 1, null],
        ['b-main', 'sess-b', '-home-me-repo', '/home/me/repo', 0, null],
        ['b-side', 'sess-b', '-home-me-repo', '/home/me/repo', 1, 'b1'],
        ['c-deep', 'sess-c', '-home-me-other', '/home/me/other', 1, 'c10'],
        ['c-main', 'sess-c', '-home-me-other', '/home/me/other', 0, null],
        ['c-side', 'sess-c', '-home-me-other', '/home/me/other', 1, 'c9'],
      ]);
    });

    it('stores every token kind and attribute', () => {
      const { tree, ingester, db } = setup();
      tree.write('p/s1.jsonl', [
        line({
          id: 'k',
          input: 1,
          output: 2,
          cacheWrite: 30,
          cacheWrite1h: 10,
          cacheRead: 4,
          webSearch: 2,
          speed: 'fast',
          model: 'claude-opus-4-6',
          version: '2.1.9',
          gitBranch: 'feature/x',
          costUSD: 0.75,
        }),
        line({ id: 'nosplit', cacheWrite: 50 }),
      ]);
      ingester.pass();
      const [k, nosplit] = usageRows(db);
      expect(k).toMatchObject({
        input: 1,
        output: 2,
        cacheWrite5m: 20,
        cacheWrite1h: 10,
        cacheRead: 4,
        total: 37,
        webSearch: 2,
        serviceTier: 'standard',
        speed: 'fast',
        model: 'claude-opus-4-6',
      });
      expect([nosplit!.cacheWrite5m, nosplit!.cacheWrite1h]).toEqual([50, 0]);
      // Logged and calculated cost are both kept (opus-4-6 fast: ×6 on the tokens; two searches at $0.01).
      expect(k!.costLogged).toBe(0.75);
      expect(k!.costCalc).toBeCloseTo(
        ((1 * 5 + 2 * 25 + 20 * 6.25 + 10 * 10 + 4 * 0.5) / 1e6) * 6 + 2 * 0.01,
        15,
      );
      expect(
        db.prepare("SELECT version, git_branch AS gitBranch FROM usage WHERE message_id = 'k'").get(),
      ).toEqual({ version: '2.1.9', gitBranch: 'feature/x' });
    });
  });
});

describe('incremental reads', () => {
  beforeEach(() => {
    parallelBytes = Infinity;
  });

  it('reads only new bytes; an unchanged tree reads nothing', () => {
    const { tree, ingester, db } = setup();
    const first = [line({ id: 'a' }), userLine('s', at(1)), line({ id: 'b' })];
    const p = tree.write('p/s1.jsonl', first);
    const s1 = ingester.pass();
    expect(s1).toMatchObject({
      bytesRead: Buffer.byteLength(first.join('\n') + '\n'),
      newMessages: 2,
      lines: 3,
    });
    const added = [line({ id: 'c', timestamp: at(5) })];
    tree.append('p/s1.jsonl', added);
    const s2 = ingester.pass();
    expect(s2).toMatchObject({
      bytesRead: Buffer.byteLength(added[0] + '\n'),
      newMessages: 1,
      lines: 1,
      filesReset: 0,
    });
    const s3 = ingester.pass();
    expect(s3).toMatchObject({ filesRead: 0, bytesRead: 0, newMessages: 0 });
    // Only the mtime moved: the file may have been rewritten in place, so it is read again from the start,
    // counting nothing twice, and the next pass skips it again.
    age(p, 5);
    expect(ingester.pass()).toMatchObject({ filesReset: 1, newMessages: 0 });
    expect(ingester.pass()).toMatchObject({ filesRead: 0, bytesRead: 0 });
    expect(totals(db).messages).toBe(3);
  });

  it('an in-place rewrite that keeps the size and changes bytes only after the first 4 KiB is noticed', () => {
    const { tree, ingester, db } = setup();
    const pad = 'x'.repeat(5000);
    const p = tree.write('p/s1.jsonl', [userLine('s1', at(0), pad), line({ id: 'a', output: 100 })]);
    age(p, 60);
    ingester.pass();
    // Same length, a different response after the head (output 100 → 900, id a → b).
    tree.write('p/s1.jsonl', [userLine('s1', at(0), pad), line({ id: 'b', output: 900 })]);
    age(p, 30);
    const s = ingester.pass();
    expect(s).toMatchObject({ filesReset: 1, newMessages: 1 });
    expect(usageRows(db).map((r) => [r.key, r.output])).toEqual([
      ['a', 100],
      ['b', 900],
    ]);
  });

  it('an in-place rewrite that keeps the first 4 KiB and grows the file is read again from 0', () => {
    const { tree, ingester, db } = setup();
    const pad = 'x'.repeat(5000);
    const p = tree.write('p/s1.jsonl', [userLine('s1', at(0), pad), line({ id: 'b', input: 10 })]);
    ingester.pass();
    // The same inode, the same head; where b was, x of the same length, then d: x must not be lost.
    const x = line({ id: 'x', input: 20 });
    expect(Buffer.byteLength(x)).toBe(Buffer.byteLength(line({ id: 'b', input: 10 })));
    tree.write('p/s1.jsonl', [userLine('s1', at(0), pad), x, line({ id: 'd', input: 1000 })]);
    const s = ingester.pass();
    expect(s).toMatchObject({ filesReset: 1, newMessages: 2 });
    expect(usageRows(db).map((r) => [r.key, r.input])).toEqual([
      ['b', 10],
      ['d', 1000],
      ['x', 20],
    ]);
    // A plain append after it is read on from the offset, as ever.
    tree.append('p/s1.jsonl', [line({ id: 'e', input: 1 })]);
    expect(ingester.pass()).toMatchObject({ filesReset: 0, newMessages: 1, lines: 1 });
    expect(totals(db).messages).toBe(4);
    expect(p).toContain('s1.jsonl');
  });

  it('the same after a pass that took only a newline (a final line taken before its newline came)', () => {
    const { tree, ingester, db } = setup();
    const pad = 'x'.repeat(5000);
    const b = line({ id: 'b', input: 10 });
    tree.write('p/s1.jsonl', userLine('s1', at(0), pad) + '\n' + b);
    ingester.pass();
    tree.append('p/s1.jsonl', '\n');
    ingester.pass();
    const x = line({ id: 'x', input: 20 });
    expect(Buffer.byteLength(x)).toBe(Buffer.byteLength(b));
    tree.write('p/s1.jsonl', [userLine('s1', at(0), pad), x, line({ id: 'd', input: 1000 })]);
    expect(ingester.pass()).toMatchObject({ filesReset: 1 });
    expect(usageRows(db).map((r) => r.key)).toEqual(['b', 'd', 'x']);
  });

  it('a file that shrank is re-read from 0 without double counting', () => {
    const { tree, ingester, db } = setup();
    tree.write('p/s1.jsonl', [line({ id: 'a' }), line({ id: 'b' }), line({ id: 'c' })]);
    ingester.pass();
    const before = totals(db);
    tree.write('p/s1.jsonl', [line({ id: 'a' }), line({ id: 'd', timestamp: at(9) })]);
    const s = ingester.pass();
    expect(s).toMatchObject({ filesReset: 1, newMessages: 1 });
    // History is kept: b and c stay, a is not counted twice, d is new.
    expect(totals(db).messages).toBe(before.messages + 1);
  });

  it('a file that shrank but is still longer than the read offset is re-read from 0', () => {
    const { tree, ingester, db } = setup();
    const a = line({ id: 'a' });
    const waiting = line({ id: 'w', text: 'x'.repeat(500) });
    tree.write('p/s1.jsonl', a + '\n' + waiting.slice(0, -10)); // second line still being written
    ingester.pass();
    expect(totals(db).messages).toBe(1);
    // Rewritten shorter (a new, unrelated content), yet longer than the offset after line 1.
    const b = line({ id: 'b', text: 'y'.repeat(100) });
    tree.write('p/s1.jsonl', [b]);
    expect(Buffer.byteLength(b + '\n')).toBeGreaterThan(Buffer.byteLength(a + '\n'));
    const s = ingester.pass();
    expect(s.filesReset).toBe(1);
    expect(usageRows(db).map((r) => r.messageId)).toEqual(['a', 'b']);
  });

  it.each([
    ['same size', (l: string) => l.replace('"id":"aaaa"', '"id":"bbbb"'), 0],
    ['bigger', (l: string) => l.replace('"id":"aaaa"', '"id":"bbbb"'), 1],
  ])('first 4 KiB changed (%s) → re-read', (_n, change, extra) => {
    const { tree, ingester, db } = setup();
    const first = line({ id: 'aaaa' });
    const p = tree.write('p/s1.jsonl', [first]);
    ingester.pass();
    const lines = [change(first)];
    for (let i = 0; i < extra; i++) lines.push(line({ id: `more${i}` }));
    tree.write('p/s1.jsonl', lines);
    age(p, 1); // a distinct mtime even on coarse-clock filesystems
    const s = ingester.pass();
    expect(s.filesReset).toBe(1);
    expect(usageRows(db).map((r) => r.messageId)).toEqual(['aaaa', 'bbbb', ...(extra ? ['more0'] : [])]);
  });

  it('a replaced file (new inode) is re-read', () => {
    const { tree, ingester, db } = setup();
    tree.write('p/s1.jsonl', [line({ id: 'a' })]);
    ingester.pass();
    tree.write('p/tmp.jsonl.new', [line({ id: 'a' }), line({ id: 'b' })]);
    renameSync(tree.path('p/tmp.jsonl.new'), tree.path('p/s1.jsonl'));
    const s = ingester.pass();
    expect(s).toMatchObject({ filesReset: 1, newMessages: 1 });
    expect(totals(db).messages).toBe(2);
  });

  it('a final line without newline: consumed when complete JSON, else waits and is taken once finished', () => {
    const { tree, ingester, db } = setup();
    const a = line({ id: 'a' });
    const b = line({ id: 'b', output: 60 });
    tree.write('p/s1.jsonl', a); // complete JSON, no '\n'
    expect(ingester.pass().newMessages).toBe(1);
    tree.append('p/s1.jsonl', '\n' + b.slice(0, 50)); // half a line
    const waiting = ingester.pass();
    expect(waiting).toMatchObject({ newMessages: 0, skipped: {} });
    tree.append('p/s1.jsonl', b.slice(50) + '\n');
    expect(ingester.pass().newMessages).toBe(1);
    expect(ingester.pass()).toMatchObject({ filesRead: 0, newMessages: 0 });
    expect(usageRows(db).map((r) => [r.messageId, r.output])).toEqual([
      ['a', 5],
      ['b', 60],
    ]);
  });

  it('a renamed transcript (same inode, new path) is read again without double counting', () => {
    const { tree, ingester, db } = setup();
    tree.write('p/old.jsonl', [line({ id: 'a' }), line({ id: 'b' })]);
    ingester.pass();
    mkdirSync(tree.path('q'));
    renameSync(tree.path('p/old.jsonl'), tree.path('q/new.jsonl'));
    const s = ingester.pass();
    expect(s).toMatchObject({ filesMissing: 1, newMessages: 0, duplicateLines: 2 });
    expect(totals(db).messages).toBe(2);
  });

  it('a deleted transcript keeps its rows; files.missing_since is set and cleared when it returns', () => {
    const { tree, ingester, db } = setup();
    const p = tree.write('p/s1.jsonl', [line({ id: 'a' }), line({ id: 'b' })]);
    tree.write('p/s2.jsonl', [line({ id: 'c' })]);
    ingester.pass();
    rmSync(p);
    const s = ingester.pass();
    expect(s.filesMissing).toBe(1);
    expect(totals(db).messages).toBe(3);
    const missing = db.prepare('SELECT missing_since AS m FROM files WHERE path = ?').get(p) as {
      m: number | null;
    };
    expect(missing.m).toBeGreaterThan(0);
    tree.write('p/s1.jsonl', [line({ id: 'a' }), line({ id: 'b' }), line({ id: 'd' })]);
    const back = ingester.pass();
    expect(back.newMessages).toBe(1);
    expect(
      (db.prepare('SELECT missing_since AS m FROM files WHERE path = ?').get(p) as { m: null }).m,
    ).toBeNull();
  });

  describe('progress', () => {
    it('tells the files and new bytes to read first, then after each file how far it has got', () => {
      const { tree, db } = setup();
      const a = [line({ id: 'a1' }), line({ id: 'a2' })];
      const b = [line({ id: 'b1' })];
      tree.write('p/s1.jsonl', a);
      tree.write('p/s2.jsonl', b);
      const bytes = Buffer.byteLength(a.join('\n') + '\n') + Buffer.byteLength(b.join('\n') + '\n');
      const store = createMessageStore(db, { timezone: 'UTC', pricing: loadPricing() });
      const seen: PassProgress[] = [];
      const pass = () =>
        runPass({ claudeDirs: [tree.claudeDir], store, parallelBytes, onProgress: (p) => seen.push(p) });
      const summary = pass();
      expect(seen[0]).toEqual({ files: 2, filesDone: 0, bytes, bytesDone: 0, newMessages: 0 });
      expect(seen.at(-1)).toEqual({ files: 2, filesDone: 2, bytes, bytesDone: bytes, newMessages: 3 });
      expect(seen.at(-1)!.bytesDone).toBe(summary.bytesRead);
      for (let i = 1; i < seen.length; i++) {
        expect(seen[i]!.filesDone).toBeGreaterThanOrEqual(seen[i - 1]!.filesDone);
        expect(seen[i]!.bytesDone).toBeGreaterThanOrEqual(seen[i - 1]!.bytesDone);
      }
      // Nothing new: one report, of nothing to read.
      seen.length = 0;
      pass();
      expect(seen).toEqual([{ files: 0, filesDone: 0, bytes: 0, bytesDone: 0, newMessages: 0 }]);
    });
  });
});

describe('incremental reads on the reader thread', () => {
  beforeEach(() => {
    parallelBytes = 0;
    writerReads = false;
  });

  it('append, a line still being written, a rewrite shorter than before: same results as one thread', () => {
    const { tree, ingester, db } = setup();
    const a = line({ id: 'a' });
    const b = line({ id: 'b', output: 60 });
    tree.write('p/s1.jsonl', [a]);
    expect(ingester.pass()).toMatchObject({ newMessages: 1, bytesRead: Buffer.byteLength(a + '\n') });
    tree.append('p/s1.jsonl', b.slice(0, 40));
    expect(ingester.pass()).toMatchObject({ newMessages: 0, skipped: {} });
    tree.append('p/s1.jsonl', b.slice(40) + '\n');
    expect(ingester.pass()).toMatchObject({ newMessages: 1, bytesRead: Buffer.byteLength(b + '\n') });
    tree.write('p/s1.jsonl', [line({ id: 'c' })]);
    expect(ingester.pass()).toMatchObject({ filesReset: 1, newMessages: 1 });
    expect(usageRows(db).map((r) => [r.messageId, r.output])).toEqual([
      ['a', 5],
      ['b', 60],
      ['c', 5],
    ]);
  });
});

describe('reader threads started before the pass', () => {
  it('a cold pass uses the started readers (three for two files: the spare one is stopped); the rows are a one-thread pass’s', async () => {
    const { startReaders } = await import('./parallel-reader.ts');
    const lines = (f: number) => [line({ id: `a${f}`, input: 10 + f }), line({ id: `b${f}`, output: 7 + f })];
    const run = (readers: 'one thread' | ReturnType<typeof startReaders>) => {
      const { tree, db } = setup();
      tree.write('p/s1.jsonl', lines(1));
      tree.write('p/s2.jsonl', lines(2));
      const store = createMessageStore(db, { timezone: 'UTC', pricing: loadPricing() });
      const summary = runPass({
        claudeDirs: [tree.claudeDir],
        store,
        parallelBytes: readers === 'one thread' ? Infinity : 0,
        ...(readers === 'one thread' ? {} : { readers }),
      });
      return { summary, rows: usageRows(db) };
    };
    const pool = startReaders(3);
    const early = run(pool);
    expect(pool.readers).toEqual([]); // handed over to the pass, which stopped every one at its end
    const one = run('one thread');
    expect(early.summary).toMatchObject({ filesRead: 2, newMessages: 4 });
    expect(early.rows).toEqual(one.rows);
  });

  it('readers started for a pass that turns out small are stopped by close()', async () => {
    const { startReaders } = await import('./parallel-reader.ts');
    const pool = startReaders(2);
    const workers = pool.readers.map((r) => r.worker);
    pool.close();
    expect(pool.readers).toEqual([]);
    await Promise.all(
      workers.map(
        (w) => new Promise((resolve) => (w.threadId === -1 ? resolve(null) : w.once('exit', resolve))),
      ),
    );
  });
});
