// The "max" token limit: the largest total of any completed 5-hour block in the whole history. Streams the
// timeline row by row with the same block boundaries as identifyBlocks (constant memory). Completed blocks
// never change, so a later call resumes at the start of the last block seen instead of rescanning years.
import type { Db } from '../db/open.ts';
import { BLOCK_MS } from '../report/identify-blocks.ts';

export interface MaxBlockState {
  /** Largest completed block so far. */
  max: number;
  /** Start of the last (possibly unfinished) block: the next call scans from here. */
  resumeTs: number;
}

export function computeMaxBlockTokens(db: Db, now: number, previous?: MaxBlockState): MaxBlockState {
  const rows = db
    .prepare(
      `SELECT ts, input_tokens + output_tokens + cache_write_5m_tokens + cache_write_1h_tokens + cache_read_tokens AS t
       FROM usage WHERE ts >= ? ORDER BY ts`,
    )
    .raw()
    .iterate(previous?.resumeTs ?? 0) as IterableIterator<[number, number]>;
  let max = previous?.max ?? 0;
  let start = -1;
  let last = 0;
  let sum = 0;
  for (const [ts, t] of rows) {
    if (start >= 0 && (ts - start > BLOCK_MS || ts - last > BLOCK_MS)) {
      if (sum > max) max = sum;
      start = -1;
    }
    if (start < 0) {
      start = Math.floor(ts / 3_600_000) * 3_600_000;
      sum = 0;
    }
    sum += t;
    last = ts;
  }
  const lastActive = start >= 0 && now - last < BLOCK_MS && now < start + BLOCK_MS;
  if (start >= 0 && !lastActive && sum > max) max = sum;
  return { max, resumeTs: start >= 0 ? start : (previous?.resumeTs ?? 0) };
}
