// headHash: how a pass tells a file from a rewrite of it (its first 4 KiB, hashed). Its buffer is shared by
// every call of a thread, so a short file read after a long one must hash only its own bytes.
import { afterEach, describe, expect, it } from 'vitest';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { removeTempDirs, tempDir } from '../test/fixtures/fixture-tree.ts';
import { headHash } from './ingest-pass.ts';

afterEach(removeTempDirs);

function hashOf(bytes: Buffer): string {
  const hashed = bytes.subarray(0, 4096);
  return `${hashed.length}:${createHash('sha1').update(hashed).digest('hex')}`;
}

function headHashOf(dir: string, name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const fd = openSync(path, 'r');
  try {
    return headHash(fd, bytes.length);
  } finally {
    closeSync(fd);
  }
}

describe('headHash', () => {
  it('is the byte count and sha1 of at most the first 4096 bytes', () => {
    const dir = tempDir();
    const long = Buffer.alloc(10_000, 'a');
    long.write('a different tail', 5000);
    const short = Buffer.from('{"type":"user"}\n');
    expect(headHashOf(dir, 'long.jsonl', long)).toBe(hashOf(long));
    expect(headHashOf(dir, 'long.jsonl', long).startsWith('4096:')).toBe(true);
    // After the long file, the short one's hash holds none of the long one's bytes.
    expect(headHashOf(dir, 'short.jsonl', short)).toBe(hashOf(short));
    expect(headHashOf(dir, 'empty.jsonl', Buffer.alloc(0))).toBe(hashOf(Buffer.alloc(0)));
    expect(headHashOf(dir, 'empty.jsonl', Buffer.alloc(0))).toMatch(/^0:/);
  });

  it('tells apart files that differ only within the head', () => {
    const dir = tempDir();
    const a = Buffer.alloc(8000, 'x');
    const b = Buffer.from(a);
    b[4095] = 0x79;
    const c = Buffer.from(a);
    c[4096] = 0x79;
    expect(headHashOf(dir, 'a.jsonl', a)).not.toBe(headHashOf(dir, 'b.jsonl', b));
    expect(headHashOf(dir, 'a.jsonl', a)).toBe(headHashOf(dir, 'c.jsonl', c));
  });
});
