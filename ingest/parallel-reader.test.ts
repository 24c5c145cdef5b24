import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tempDir } from '../test/fixtures/fixture-tree.ts';
import { generateTree } from '../test/fixtures/generate-tree.ts';
import { discover } from './discover.ts';
import { emptySummary, readJob } from './ingest-pass.ts';
import { SkipCounter } from './skip-counter.ts';
import {
  bytesLeft,
  createParallelReader,
  startReaders,
  IN_FLIGHT_LIMITS,
  type ForwardedCommit,
  type ReadJob,
} from './parallel-reader.ts';

const job = (size: number, offset?: number): ReadJob => ({
  file: { path: `/p/${size}.jsonl`, claudeDir: '/c', project: 'p', dev: 1, ino: size, size, mtimeMs: 0 },
  row:
    offset === undefined
      ? undefined
      : {
          id: 1,
          path: `/p/${size}.jsonl`,
          dev: 1,
          ino: size,
          size: offset,
          mtimeMs: 0,
          offset,
          headHash: null,
          lineCount: 0,
          missingSince: null,
        },
});

describe('bytesLeft', () => {
  it('counts what is left to read of a file read before, and a truncated file as read anew', () => {
    expect([job(10e6, 9e6), job(2e6), job(3e6, 5e6)].map(bytesLeft)).toEqual([1e6, 2e6, 3e6]);
  });
});

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
      ? (j, deliver) => {
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
  it('the writing thread reads files itself while the reader starts; every commit comes once, in file order', () => {
    const jobs = jobsOf(join(tempDir(), 'claude'));
    const serial: ForwardedCommit[] = [];
    const summary = emptySummary();
    for (const j of jobs) readJob(j, undefined, false, summary, new SkipCounter(), (c) => serial.push(c));
    // The reader thread takes tens of milliseconds to start: the first files are read here meanwhile.
    const both = readAll(jobs, true);
    expect(both.filesReadHere).toBeGreaterThan(0);
    expect(both.filesReadHere).toBe(both.here.length);
    expect(both.here[0]).toBe(jobs[0]!.file.path);
    expect(both.commits.map(shape)).toEqual(serial.map(shape));
    // Each file was read by one thread: the two counts add up to the files and bytes of a one-thread read.
    expect(both.done.summary.filesRead + both.hereSummary.filesRead).toBe(jobs.length);
    expect(both.done.summary.bytesRead + both.hereSummary.bytesRead).toBe(summary.bytesRead);
    expect(both.done.summary.lines + both.hereSummary.lines).toBe(summary.lines);

    const readersOnly = readAll(jobs, false, startReaders(2));
    expect(readersOnly.filesReadHere).toBe(0);
    expect(readersOnly.commits.map(shape)).toEqual(serial.map(shape));
  });

  it('leaves a file larger than 32 MB to the reader threads', () => {
    const root = join(tempDir(), 'claude');
    const jobs = jobsOf(root);
    // The oldest file of the pass, and one that is all tool output (nothing to parse): 33 MB of user lines.
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
