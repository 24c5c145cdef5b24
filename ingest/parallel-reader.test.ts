import { describe, expect, it } from 'vitest';
import { dealByBytes, type ReadJob } from './parallel-reader.ts';

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

describe('dealByBytes', () => {
  it('gives each file, in order, to the reader with the fewest bytes to read so far', () => {
    // In turn, reader 0 would get 100 MB and reader 1 three small files.
    const jobs = [job(50e6), job(1e6), job(50e6), job(1e6), job(1e6)];
    expect(dealByBytes(jobs, 2)).toEqual([0, 1, 1, 0, 0]);
  });

  it('counts only what is left to read of a file read before, and a truncated file as read anew', () => {
    const jobs = [job(10e6, 9e6), job(2e6), job(3e6, 5e6), job(1e6)];
    // Left to read: 1 MB, 2 MB, 3 MB (it shrank below its offset, so it is read anew), 1 MB.
    expect(dealByBytes(jobs, 2)).toEqual([0, 1, 0, 1]);
  });

  it('deals every job exactly once, to one reader when there is one', () => {
    const jobs = Array.from({ length: 7 }, (_, i) => job((i + 1) * 1000));
    expect(dealByBytes(jobs, 1)).toEqual(new Array(7).fill(0));
    const owner = dealByBytes(jobs, 3);
    expect(owner).toHaveLength(7);
    expect(new Set(owner)).toEqual(new Set([0, 1, 2]));
  });
});
