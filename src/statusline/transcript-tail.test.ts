import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assistantLine, userLine } from '../../test/fixtures/fixture-lines.ts';
import { tempDir } from '../../test/fixtures/fixture-tree.ts';
import { readTranscriptTail } from './transcript-tail.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const file = (lines: string[]) => {
  const d = tempDir('ctm-tail-');
  dirs.push(d);
  const p = join(d, 's.jsonl');
  writeFileSync(p, lines.map((l) => l + '\n').join(''));
  return p;
};
const a = (id: string, output = 5) => assistantLine({ id, timestamp: '2026-12-03T10:00:00Z', output });
const far = () => Date.now() + 10_000;

describe('readTranscriptTail', () => {
  it('the events after the offset, one per message id (its largest copy)', () => {
    const first = a('msg_1');
    const p = file([first, userLine('s', '2026-12-03T10:00:00Z'), a('msg_2', 5), a('msg_2', 50)]);
    const t = readTranscriptTail(p, Buffer.byteLength(first) + 1, far());
    expect(t.events.map((e) => [e.key, e.output])).toEqual([['msg_2', 50]]);
    expect(t).toMatchObject({ partial: false, missing: false });
  });

  it('a last line being written is left for later; a complete one without newline counts', () => {
    const p = file([a('msg_1')]);
    appendFileSync(p, a('msg_2').slice(0, 40));
    expect(readTranscriptTail(p, 0, far()).events.map((e) => e.key)).toEqual(['msg_1']);
    const q = file([]);
    writeFileSync(q, a('msg_3'));
    expect(readTranscriptTail(q, 0, far()).events.map((e) => e.key)).toEqual(['msg_3']);
  });

  it('a complete final line over 4 MiB without newline counts; one still being written waits', () => {
    const big = assistantLine({
      id: 'msg_big',
      timestamp: '2026-12-03T10:00:00Z',
      text: 'x'.repeat(6 << 20),
    });
    const p = file([a('msg_1')]);
    appendFileSync(p, big);
    expect(readTranscriptTail(p, 0, far()).events.map((e) => e.key)).toEqual(['msg_1', 'msg_big']);
    const q = file([a('msg_1')]);
    appendFileSync(q, big.slice(0, -40));
    expect(readTranscriptTail(q, 0, far()).events.map((e) => e.key)).toEqual(['msg_1']);
  });

  it('an offset past the end (a rewritten file) yields nothing; a missing file says so', () => {
    const p = file([a('msg_1')]);
    expect(readTranscriptTail(p, 1e9, far()).events).toEqual([]);
    expect(readTranscriptTail(p + '.gone', 0, far())).toMatchObject({ events: [], missing: true });
  });

  it('a directory or a FIFO is no transcript: missing, without waiting', () => {
    const d = tempDir('ctm-tail-');
    dirs.push(d);
    expect(readTranscriptTail(d, 0, far())).toMatchObject({ events: [], missing: true });
    const fifo = join(d, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(readTranscriptTail(fifo, 0, far())).toMatchObject({ events: [], missing: true });
  });

  it('stops at the deadline or the size cap and says the figures are partial', () => {
    const lines = Array.from({ length: 200 }, (_, i) => a(`msg_${i}`));
    const p = file(lines);
    expect(readTranscriptTail(p, 0, Date.now() - 1)).toMatchObject({ events: [], partial: true });
    const tenLines = lines.slice(0, 10).reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
    const capped = readTranscriptTail(p, 0, far(), { maxBytes: tenLines + 5 });
    expect(capped.partial).toBe(true);
    expect(capped.events).toHaveLength(10);
  });

  it('checks the deadline after every MiB, and stops at the event cap', () => {
    // 8 MiB of small usage lines: once the clock has passed the deadline, no more than a MiB is read.
    const line = (i: number) => a(`msg_${i}`);
    const perMiB = Math.floor((1 << 20) / (Buffer.byteLength(line(0)) + 1));
    const p = file(Array.from({ length: perMiB * 8 }, (_, i) => line(i)));
    let calls = 0;
    const late = readTranscriptTail(p, 0, 1, { now: () => calls++ });
    expect(late.partial).toBe(true);
    expect(late.events.length).toBeGreaterThan(0);
    expect(late.events.length).toBeLessThanOrEqual(perMiB + 1);
    const capped = readTranscriptTail(p, 0, far(), { maxEvents: 100 });
    expect(capped.partial).toBe(true);
    expect(capped.events.length).toBeGreaterThanOrEqual(100);
    expect(capped.events.length).toBeLessThanOrEqual(perMiB + 100);
  });

  it('lines longer than the reading slice are read whole', () => {
    const big = assistantLine({
      id: 'msg_big',
      timestamp: '2026-12-03T10:00:00Z',
      text: 'x'.repeat(9 << 20),
    });
    const mid = assistantLine({
      id: 'msg_mid',
      timestamp: '2026-12-03T10:00:00Z',
      text: 'y'.repeat(3 << 20),
    });
    const p = file([big, a('msg_after'), mid, a('msg_last')]);
    expect(readTranscriptTail(p, 0, far()).events.map((e) => e.key)).toEqual([
      'msg_big',
      'msg_after',
      'msg_mid',
      'msg_last',
    ]);
  });
});
