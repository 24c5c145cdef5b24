import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tempDir } from '../test/fixtures/fixture-tree.ts';
import { generateTree } from '../test/fixtures/generate-tree.ts';
import { discover } from './discover.ts';
import { emptySummary, readJob } from './ingest-pass.ts';
import { SkipCounter } from './skip-counter.ts';
import { MessageChannel } from 'node:worker_threads';
import {
  createParallelReader,
  startReaders,
  IN_FLIGHT_LIMITS,
  type ForwardedCommit,
  type ReaderDone,
  type ReaderPool,
  type ReadJob,
} from './parallel-reader.ts';

/** A reader that never claims a file: it reports an empty summary at once, so the writer reads everything. */
function idleReader(): ReaderPool {
  const { port1, port2 } = new MessageChannel();
  const done: ReaderDone = {
    kind: 'done',
    summary: {
      filesRead: 0,
      filesReset: 0,
      bytesRead: 0,
      lines: 0,
      usageLines: 0,
      ignoredLines: 0,
      ignoredTypes: {},
    },
    skipCounts: {},
    skipExamples: [],
    skipExampleOrder: [],
    skipRecurring: [],
  };
  port2.postMessage(done);
  const counters = new Int32Array(new SharedArrayBuffer(12));
  const reader = { worker: { terminate: () => port2.close() }, port: port1, counters, taken: 0 };
  return { readers: [reader], close: () => undefined } as unknown as ReaderPool;
}

/** A small generated tree, as the jobs of a first pass. */
function jobsOf(root: string): ReadJob[] {
  generateTree({ root, targetBytes: 4e5, days: 3, projects: 2, sessions: 16, seed: 11 });
  return discover([root]).files.map((file) => ({ file, row: undefined }));
}

/** Every commit of a pass through the parallel reader, and the jobs this thread read itself. */
function readAll(jobs: ReadJob[], writerReads: boolean, readers = startReaders(1)) {
  const here: string[] = [];
  const summary = emptySummary();
  const reader = createParallelReader(
    jobs,
    undefined,
    IN_FLIGHT_LIMITS,
    readers,
    false,
    writerReads
      ? (j, _index, deliver) => {
          here.push(j.file.path);
          readJob(j, undefined, false, summary, new SkipCounter(), deliver);
        }
      : undefined,
  );
  const commits: ForwardedCommit[] = [];
  for (;;) {
    const m = reader.next();
    if (m.kind === 'done')
      return { commits, here, filesReadHere: reader.filesReadHere, done: m, hereSummary: summary };
    commits.push(m);
  }
}

const shape = (c: ForwardedCommit) => [c.file.path, c.file.offset, c.bytes, c.events];

describe('createParallelReader', () => {
  it('every commit comes once, in file order, whoever reads it', () => {
    const jobs = jobsOf(join(tempDir(), 'claude'));
    const serial: ForwardedCommit[] = [];
    const summary = emptySummary();
    for (const j of jobs) readJob(j, undefined, false, summary, new SkipCounter(), (c) => serial.push(c));
    const paths = jobs.map((j) => j.file.path);

    // A reader that claims nothing: the writer reads every file, in order.
    const alone = readAll(jobs, true, idleReader());
    expect(alone.here).toEqual(paths);
    expect(alone.filesReadHere).toBe(jobs.length);
    expect(alone.commits.map(shape)).toEqual(serial.map(shape));

    // A real reader and the writer: each file read by one of them, the writer's in increasing order, and
    // the two counts add up to a one-thread read's.
    const both = readAll(jobs, true);
    expect(both.filesReadHere).toBe(both.here.length);
    const places = both.here.map((p) => paths.indexOf(p));
    expect(places).toEqual([...places].sort((a, b) => a - b));
    expect(both.commits.map(shape)).toEqual(serial.map(shape));
    expect(both.done.summary.filesRead + both.hereSummary.filesRead).toBe(jobs.length);
    expect(both.done.summary.bytesRead + both.hereSummary.bytesRead).toBe(summary.bytesRead);
    expect(both.done.summary.lines + both.hereSummary.lines).toBe(summary.lines);

    // Without readHere the writer reads nothing.
    const readersOnly = readAll(jobs, false, startReaders(2));
    expect(readersOnly.filesReadHere).toBe(0);
    expect(readersOnly.commits.map(shape)).toEqual(serial.map(shape));
  });

  it('leaves a file larger than 32 MB to the reader threads', () => {
    const root = join(tempDir(), 'claude');
    const jobs = jobsOf(root);
    // Put first in the pass by hand, a file that is all tool output (nothing to parse): 33 MB of user lines.
    const big = join(root, 'projects', 'big', 'big.jsonl');
    const userLine = JSON.stringify({ type: 'user', message: { content: 'x'.repeat(1 << 20) } }) + '\n';
    mkdirSync(join(root, 'projects', 'big'));
    writeFileSync(big, userLine.repeat(33));
    const found = discover([root]).files.find((f) => f.path === big)!;
    const all = [{ file: found, row: undefined }, ...jobs];
    const both = readAll(all, true);
    expect(both.here).not.toContain(big);
    expect(both.commits.map((c) => c.file.path).filter((p) => p === big).length).toBeGreaterThan(0);
    expect(both.commits[0]!.file.path).toBe(big);
  });
});
