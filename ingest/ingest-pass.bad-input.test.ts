// Bad input is data: every kind named in the spec is skipped and counted per reason at pass level, and a
// pass over it ends (no crash, no hang), on the writing thread and on the reader thread alike.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { assistantLine, userLine } from '../test/fixtures/fixture-lines.ts';
import { at, fixtureTree, tempDir, totals, usageRows } from '../test/fixtures/fixture-tree.ts';
import { openDb } from '../src/db/open.ts';
import { loadPricing } from '../src/pricing/load-pricing.ts';
import { createMessageStore } from './message-store.ts';
import { runPass, type PassOptions } from './ingest-pass.ts';

let parallelBytes: number | undefined;
let writerReads = true;
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function setup() {
  const root = tempDir();
  const tree = fixtureTree(root);
  const db = openDb(join(root, 'ctm.db'));
  const store = createMessageStore(db, { timezone: 'UTC', pricing: loadPricing() });
  cleanups.push(() => {
    db.close();
    tree.remove();
  });
  const pass = (extra: Partial<PassOptions> = {}) =>
    runPass({ claudeDirs: [tree.claudeDir], store, parallelBytes, writerReads, ...extra });
  return { tree, db, store, pass };
}

const good = (id: string, o: Partial<Parameters<typeof assistantLine>[0]> = {}): string =>
  assistantLine({ id, timestamp: at(0), ...o });
const withUsage = (o: Record<string, unknown>): string =>
  JSON.stringify({ ...JSON.parse(good('bad')), ...o });

// On a parallel pass the writing thread reads files too whenever it would wait: a run with only the reader
// thread reading, and one where both may.
describe.each([
  ['one thread', Infinity, true],
  ['reader thread', 0, false],
  ['reader thread and the writer', 0, true],
])('%s', (_mode, bytes, writer) => {
  beforeEach(() => {
    parallelBytes = bytes;
    writerReads = writer;
  });

  describe('bad lines are skipped and counted per reason', () => {
    it('every kind in one file, with file:line examples', () => {
      const { tree, pass, db } = setup();
      const p = tree.write('p/s1.jsonl', [
        good('ok1'),
        '{"type":"assistant","message":{"usage":{"input_tokens":1', // malformed JSON
        '',
        '   ',
        Buffer.concat([Buffer.from('{"type":"assistant","usage":{'), Buffer.from([0xc3, 0x28])]).toString(
          'latin1',
        ),
        withUsage({ timestamp: 'not a date' }),
        withUsage({ timestamp: '2026-02-30T99:00:00Z' }),
        withUsage({ message: { id: 'x', model: 'claude-sonnet-4-5', usage: { input_tokens: 'many' } } }),
        withUsage({ message: { model: 'claude-sonnet-4-5', usage: { input_tokens: 1 } } }),
        '["usage":{}]',
        userLine('s1', at(1)),
        good('ok2'),
      ]);
      // A line with bytes that are not UTF-8 (written raw, not via a JS string).
      tree.append(
        'p/s1.jsonl',
        Buffer.concat([
          Buffer.from('{"type":"assistant","message":{"usage":{"x":"'),
          Buffer.from([0xff, 0xfe]),
          Buffer.from('"}}}\n'),
        ]),
      );
      const s = pass();
      expect(usageRows(db).map((r) => r.messageId)).toEqual(['ok1', 'ok2']);
      expect(s.skipped).toEqual({
        invalid_json: 3, // truncated JSON, the latin1 line, the array with an object key
        bad_timestamp: 2,
        wrong_type: 1,
        missing_field: 1,
        invalid_utf8: 1,
      });
      expect(s.skippedExamples[0]).toBe(`${p}:2 (invalid_json)`);
      expect(s.skippedExamples).toHaveLength(5);
      expect(s.lines).toBe(13);
    });

    it('the examples are the first bad lines in file order, whichever thread read them', () => {
      const { tree, pass } = setup();
      const paths = Array.from({ length: 8 }, (_, i) => {
        const p = tree.write(`p/s${i}.jsonl`, [
          good(`ok${i}`),
          '{"type":"assistant","usage":{',
          good(`ok${i}b`),
        ]);
        const t = new Date(Date.now() - (100 - i) * 1000); // s0 the oldest: files are read oldest first
        utimesSync(p, t, t);
        return p;
      });
      const s = pass();
      expect(s.skipped).toEqual({ invalid_json: 8 });
      expect(s.skippedExamples).toEqual(paths.slice(0, 5).map((p) => `${p}:2 (invalid_json)`));
    });

    it('lines without the usage marker are never bad lines, whatever they hold (only assistant and cost-state ones are parsed)', () => {
      const { tree, pass } = setup();
      tree.write('p/s1.jsonl', [
        '{{{{ not json',
        '\u0000\u0001binary',
        JSON.stringify({ type: 'assistant' }),
        good('ok'),
      ]);
      const s = pass();
      expect(s).toMatchObject({ skipped: {}, usageLines: 2, newMessages: 1, lines: 4 });
      expect(s.ignoredTypes).toEqual({ '(none)': 2, assistant: 1 });
    });

    it('a binary file named .jsonl: no crash, no hang, and not re-read while unchanged', () => {
      const { tree, pass } = setup();
      const noise = Buffer.alloc(256 * 1024);
      let x = 12345;
      for (let i = 0; i < noise.length; i++) {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        noise[i] = x & 0xff;
      }
      tree.write('p/blob.jsonl', Buffer.concat([noise, Buffer.from('"usage":{\n'), noise]));
      tree.write('p/s1.jsonl', [good('ok')]);
      const s = pass();
      expect(s.newMessages).toBe(1);
      expect(pass()).toMatchObject({ filesRead: 0, bytesRead: 0 });
    });

    it('a multi-MB line without the marker is stepped over; an oversized usage line is recovered from head + tail', () => {
      const { tree, pass, db } = setup();
      const toolOutput = JSON.stringify({ type: 'user', message: { content: 'x'.repeat(3 << 20) } });
      const bigUsage = good('big', { text: 'y'.repeat(300_000), output: 777 });
      const unrecoverable = good('lost', { text: 'y'.repeat(300_000) }).replace(
        '"message":{',
        '"message" :{',
      );
      const bigProgress = JSON.stringify({
        type: 'progress',
        data: { message: JSON.parse(good('sub', { text: 'p'.repeat(300_000) })), extra: 'q'.repeat(300_000) },
      });
      tree.write('p/s1.jsonl', [toolOutput, bigUsage, unrecoverable, bigProgress, good('after')]);
      const s = pass({ scan: { maxLineBytes: 64 * 1024, keepBytes: 8 * 1024, chunkBytes: 16 * 1024 } });
      expect(usageRows(db).map((r) => [r.messageId, r.output])).toEqual([
        ['after', 5],
        ['big', 777],
      ]);
      expect(s.skipped).toEqual({ oversized_unparsed: 1 });
      expect(s.ignoredTypes).toEqual({ user: 1, progress: 1 });
      expect(s.ignoredLines).toBe(2);
      expect(s.lines).toBe(5);
    });

    it('a complete final line over maxLineBytes without its newline counts once, read once', () => {
      const { tree, pass, db } = setup();
      const scan = { maxLineBytes: 10_000, keepBytes: 2_000, chunkBytes: 4096 };
      const big = good('big', { text: 'z'.repeat(50_000), output: 900 });
      const p = tree.write('p/s1.jsonl', good('a') + '\n' + big);
      const first = pass({ scan });
      expect(usageRows(db).map((r) => [r.messageId, r.output])).toEqual([
        ['a', 5],
        ['big', 900],
      ]);
      expect(first.bytesRead).toBe(statSync(p).size);
      expect(first.lines).toBe(2);
      // Its newline arriving later adds nothing.
      tree.append('p/s1.jsonl', '\n');
      const second = pass({ scan });
      expect(second.newMessages + second.replacedMessages).toBe(0);
      expect(totals(db).messages).toBe(2);
      // Still being written (cut inside its usage): it waits, then counts once complete.
      const half = good('half', { text: 'h'.repeat(50_000), output: 40 });
      tree.append('p/s1.jsonl', half.slice(0, -60));
      pass({ scan });
      expect(usageRows(db).map((r) => r.messageId)).not.toContain('half');
      tree.append('p/s1.jsonl', half.slice(-60));
      expect(pass({ scan }).skipped).toEqual({});
      expect(usageRows(db).map((r) => [r.messageId, r.output])).toContainEqual(['half', 40]);
    });

    it('a complete final line over maxLineBytes that is bad is skipped at once, not read again each pass', () => {
      const { tree, pass } = setup();
      const scan = { maxLineBytes: 10_000, keepBytes: 2_000, chunkBytes: 4096 };
      const p = tree.write(
        'p/s1.jsonl',
        good('bad', { text: 'z'.repeat(50_000), timestamp: '2026-02-30T10:00:00Z' }),
      );
      const first = pass({ scan });
      expect(first.skipped).toEqual({ bad_timestamp: 1 });
      expect(first.bytesRead).toBe(statSync(p).size);
      expect(pass({ scan })).toMatchObject({ filesRead: 0, bytesRead: 0 });
    });

    it('a huge file (many oversized lines) is read with bounded buffers', () => {
      const { tree, pass, db } = setup();
      const lines: string[] = [];
      for (let i = 0; i < 40; i++) lines.push(good(`m${i}`, { text: 'z'.repeat(100_000), timestamp: at(i) }));
      tree.write('p/s1.jsonl', lines);
      const s = pass({ scan: { maxLineBytes: 10_000, keepBytes: 2_000, chunkBytes: 4096 } });
      expect(s.newMessages).toBe(40);
      expect(s.skipped).toEqual({});
      expect(totals(db).messages).toBe(40);
    });
  });

  describe('bad files and folders', () => {
    it('a directory named x.jsonl, a symlink loop, a broken symlink and a FIFO: counted, walk ends', () => {
      const { tree, pass, db } = setup();
      tree.write('p/s1.jsonl', [good('a')]);
      mkdirSync(tree.path('p/folder.jsonl'), { recursive: true });
      // Below a session-level dir only agent-*.jsonl is a transcript.
      tree.write('p/folder.jsonl/agent-inner.jsonl', [good('inner')]);
      symlinkSync('..', tree.path('p/loop'));
      symlinkSync(tree.path('p'), tree.path('p/again'));
      symlinkSync(tree.path('p/nowhere.jsonl'), tree.path('p/broken.jsonl'));
      symlinkSync(tree.path('p/s1.jsonl'), tree.path('p/alias.jsonl')); // same file twice: read once
      spawnSync('mkfifo', [tree.path('p/pipe.jsonl')]);
      const started = Date.now();
      const s = pass();
      expect(Date.now() - started).toBeLessThan(5000);
      expect(usageRows(db).map((r) => r.messageId)).toEqual(['a', 'inner']);
      expect(s.skipped).toMatchObject({ broken_symlink: 1, not_a_regular_file: 1 });
      expect(s.skipped.symlink_loop_or_duplicate_dir).toBeGreaterThanOrEqual(2);
      expect(s.filesScanned).toBe(2);
    });

    it('a file that vanishes between discovery and read is counted, not thrown', () => {
      const { tree, store, db } = setup();
      tree.write('p/s1.jsonl', [good('a')]);
      const doomed = tree.write('p/s2.jsonl', [good('b')]);
      // The store is asked for known files right after discovery: delete the file at that moment.
      const racing = {
        ...store,
        files: () => {
          rmSync(doomed);
          return store.files();
        },
      };
      const s = runPass({ claudeDirs: [tree.claudeDir], store: racing, parallelBytes, writerReads });
      expect(s.skipped).toEqual({ file_vanished: 1 });
      expect(usageRows(db).map((r) => r.messageId)).toEqual(['a']);
    });

    it('a file replaced by a directory between discovery and read is counted, not thrown', () => {
      const { tree, store } = setup();
      const odd = tree.write('p/s2.jsonl', [good('b')]);
      const racing = {
        ...store,
        files: () => {
          rmSync(odd);
          mkdirSync(odd);
          return store.files();
        },
      };
      const s = runPass({ claudeDirs: [tree.claudeDir], store: racing, parallelBytes, writerReads });
      expect(s.skipped).toEqual({ file_unreadable: 1 });
    });

    it('a database that refuses writes mid-pass is an error, not a file skipped as unreadable', async () => {
      const threads = () => readdirSync('/proc/self/task').length;
      const baseline = threads();
      const { tree, store, db } = setup();
      // More files than the reader thread may have in flight, so it would wait for the writer forever.
      for (let i = 0; i < 20; i++) tree.write(`p/s${i}.jsonl`, [good(`a${i}`)]);
      const racing = {
        ...store,
        files: () => {
          const known = store.files();
          db.pragma('query_only = ON'); // every write from here on fails inside SQLite
          return known;
        },
      };
      expect(() =>
        runPass({ claudeDirs: [tree.claudeDir], store: racing, parallelBytes, writerReads }),
      ).toThrow(expect.objectContaining({ code: expect.stringMatching(/^SQLITE_/) }));
      db.pragma('query_only = OFF');
      expect(usageRows(db)).toEqual([]);
      // A reader thread, if one was started, does not outlive the failed pass.
      const deadline = Date.now() + 5000;
      while (threads() > baseline && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(threads()).toBeLessThanOrEqual(baseline);
    });

    it('a Claude dir without projects/ is left out; an empty projects/ is fine', () => {
      const root = tempDir();
      cleanups.push(() => rmSync(root, { recursive: true, force: true }));
      const empty = fixtureTree(root, 'empty');
      mkdirSync(join(root, 'noprojects'));
      writeFileSync(join(root, 'noprojects', 'x.jsonl'), good('x') + '\n');
      const db = openDb(join(root, 'ctm.db'));
      cleanups.push(() => db.close());
      const store = createMessageStore(db, { timezone: 'UTC', pricing: loadPricing() });
      const s = runPass({
        claudeDirs: [empty.claudeDir, join(root, 'noprojects')],
        store,
        parallelBytes,
        writerReads,
      });
      expect(s.usableDirs).toEqual([empty.claudeDir]);
      expect(s.filesScanned).toBe(0);
    });
  });
});
