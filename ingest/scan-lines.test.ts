import { afterAll, describe, expect, it } from 'vitest';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanLines, type ScanOptions } from './scan-lines.ts';
import { parseOversizedLine } from './parse-oversized-line.ts';
import { assistantLine } from '../test/fixtures/fixture-lines.ts';
import { tempDir } from '../test/fixtures/fixture-tree.ts';
import { rmSync } from 'node:fs';
import { seededPick } from '../test/fixtures/seeded-random.ts';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

interface Seen {
  lines: [number, string][];
  oversized: [number, Buffer, Buffer][];
  partial: [number, string][];
  result: ReturnType<typeof scanLines>;
}

function scan(
  content: string | Buffer,
  options: ScanOptions & { start?: number; end?: number; acceptPartial?: boolean } = {},
): Seen {
  const path = join(dir, `f${n++}.jsonl`);
  writeFileSync(path, content);
  const fd = openSync(path, 'r');
  const seen: Omit<Seen, 'result'> = { lines: [], oversized: [], partial: [] };
  try {
    const size = Buffer.byteLength(content);
    const result = scanLines(
      fd,
      options.start ?? 0,
      options.end ?? size,
      {
        line: (b, i) => seen.lines.push([i, b.toString()]),
        oversized: (h, t, i) => seen.oversized.push([i, Buffer.from(h), Buffer.from(t)]),
        partial: (b, i) => {
          seen.partial.push([i, b.toString()]);
          return options.acceptPartial ?? false;
        },
      },
      options,
    );
    return { ...seen, result };
  } finally {
    closeSync(fd);
  }
}

const usage = (id: string): string => assistantLine({ id, timestamp: '2026-03-01T10:00:00Z' });
const plain = (text: string): string => JSON.stringify({ type: 'user', message: { content: text } });

describe('scanLines', () => {
  it('hands over only lines holding the usage marker, with 1-based line numbers', () => {
    const content = [plain('a'), usage('m1'), '', plain('b'), usage('m2')].join('\n') + '\n';
    const s = scan(content);
    expect(s.lines.map(([i]) => i)).toEqual([2, 5]);
    expect(s.lines[0]![1]).toBe(usage('m1'));
    expect(s.result).toMatchObject({ offset: content.length, lines: 5, bytes: content.length });
  });

  it.each([1, 7, 64, 1000])('gives the same lines whatever the chunk size (%i bytes)', (chunkBytes) => {
    const content = [usage('a'), plain('x'.repeat(300)), usage('b'), usage('c')].join('\n') + '\n';
    const s = scan(content, { chunkBytes });
    expect(s.lines.map(([i, t]) => [i, JSON.parse(t).message.id ?? null])).toEqual([
      [1, 'a'],
      [3, 'b'],
      [4, 'c'],
    ]);
    expect(s.result.offset).toBe(content.length);
  });

  it('finds a marker split between two reads, in a line carried over many reads, at every split', () => {
    const long = usage('m'.repeat(500));
    const content = [plain('y'.repeat(37)), long, plain('z'), long].join('\n') + '\n';
    const at = content.indexOf('"usage"');
    for (let chunkBytes = at - 6; chunkBytes <= at + 8; chunkBytes++) {
      const s = scan(content, { chunkBytes });
      expect(s.lines.map(([i, t]) => [i, t])).toEqual([
        [2, long],
        [4, long],
      ]);
      expect(s.result).toMatchObject({ offset: content.length, lines: 4, bytes: content.length });
    }
  });

  it('offers lines without the marker to other, whole or as their head once oversized, at any chunk size', () => {
    const short = plain('s');
    const long = plain('l'.repeat(300));
    const huge = plain('h'.repeat(2000));
    const content = [short, long, usage('a'), huge, short].join('\n') + '\n';
    const path = join(dir, `f${n++}.jsonl`);
    writeFileSync(path, content);
    for (const chunkBytes of [1, 7, 64, 1000, 1 << 20]) {
      const others: [number, string][] = [];
      const fd = openSync(path, 'r');
      try {
        scanLines(
          fd,
          0,
          content.length,
          {
            line: () => {},
            oversized: () => {},
            partial: () => false,
            other: (b, from, to, i) => others.push([i, b.toString('utf8', from, to)]),
          },
          { chunkBytes, maxLineBytes: 1024, keepBytes: 100 },
        );
      } finally {
        closeSync(fd);
      }
      // A line that grew past maxLineBytes in a read is kept as its head; within one read it stays whole.
      const hugeSeen = chunkBytes > huge.length ? huge : huge.slice(0, 100);
      expect(others).toEqual([
        [1, short],
        [2, long],
        [4, hugeSeen],
        [5, short],
      ]);
    }
  });

  it('starts at an offset and stops at end', () => {
    const a = usage('a') + '\n';
    const b = usage('b') + '\n';
    const s = scan(a + b + usage('c') + '\n', { start: a.length, end: a.length + b.length });
    expect(s.lines.map(([, t]) => JSON.parse(t).message.id)).toEqual(['b']);
    expect(s.result.offset).toBe(a.length + b.length);
  });

  it('offers a final line without newline as partial, and advances only when it is accepted', () => {
    const a = usage('a') + '\n';
    const waiting = scan(a + usage('b'));
    expect(waiting.partial.map(([i]) => i)).toEqual([2]);
    expect(waiting.result).toMatchObject({ offset: a.length, lines: 1 });
    const taken = scan(a + usage('b'), { acceptPartial: true });
    expect(taken.result).toMatchObject({ offset: a.length + usage('b').length, lines: 2 });
  });

  it('never offers a trailing fragment without the marker', () => {
    const s = scan(usage('a') + '\n' + plain('half'));
    expect(s.partial).toEqual([]);
    expect(s.result.offset).toBe(usage('a').length + 1);
  });

  it('a multi-MB line without the marker costs nothing and is never handed over', () => {
    const big = plain('y'.repeat(5 << 20));
    const s = scan(big + '\n' + usage('after') + '\n', { maxLineBytes: 1 << 20, chunkBytes: 1 << 16 });
    expect(s.lines.map(([i]) => i)).toEqual([2]);
    expect(s.oversized).toEqual([]);
  });

  it('a marker line longer than maxLineBytes arrives as head + tail, within keepBytes', () => {
    const line = assistantLine({
      id: 'huge',
      requestId: 'req_huge',
      timestamp: '2026-03-01T10:00:00Z',
      text: 'z'.repeat(200_000),
      input: 7,
      output: 9,
    });
    const s = scan(usage('before') + '\n' + line + '\n' + usage('after') + '\n', {
      maxLineBytes: 10_000,
      keepBytes: 2_000,
      chunkBytes: 4096,
    });
    expect(s.lines.map(([i]) => i)).toEqual([1, 3]);
    expect(s.oversized).toHaveLength(1);
    const [lineNo, head, tail] = s.oversized[0]!;
    expect(lineNo).toBe(2);
    expect(head.length).toBe(2_000);
    expect(tail.length).toBe(2_000);
    expect(head.toString()).toBe(line.slice(0, 2_000));
    expect(tail.toString()).toBe(line.slice(-2_000));
    const parsed = parseOversizedLine(head, tail);
    expect(parsed).toMatchObject({
      kind: 'event',
      event: { key: 'huge', input: 7, output: 9, sessionId: 'session-1' },
    });
  });

  it('a marker only in the middle of an oversized line is still handed over (to be counted, never dropped)', () => {
    const line = JSON.stringify({
      type: 'progress',
      pad1: 'a'.repeat(30_000),
      data: { message: { usage: { input_tokens: 1 } } },
      pad2: 'b'.repeat(30_000),
    });
    for (const chunkBytes of [4096, 30_007]) {
      const s = scan(line + '\n', { maxLineBytes: 10_000, keepBytes: 2_000, chunkBytes });
      expect(s.oversized.map(([i]) => i)).toEqual([1]);
    }
    const none = scan(line.replace('"usage":{', '"usagX":{') + '\n', {
      maxLineBytes: 10_000,
      keepBytes: 2_000,
    });
    expect(none.oversized).toEqual([]);
  });

  it('an oversized line without newline at the end waits (never offered as partial)', () => {
    const line = usage('x').replace('"ok"', JSON.stringify('q'.repeat(50_000)));
    const s = scan(usage('a') + '\n' + line, { maxLineBytes: 1_000, keepBytes: 200, chunkBytes: 512 });
    expect(s.partial).toEqual([]);
    expect(s.oversized).toEqual([]);
    expect(s.result.offset).toBe(usage('a').length + 1);
  });

  it('binary data with stray newlines and markers is scanned without a crash', () => {
    const noise = Buffer.alloc(100_000);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) & 0xff;
    const content = Buffer.concat([noise, Buffer.from('"usage":{\n'), noise, Buffer.from('\n')]);
    const s = scan(content, { chunkBytes: 4096 });
    expect(s.result.offset).toBe(content.length);
    expect(s.lines.length).toBeGreaterThan(0);
  });
});

describe('scanLines against a plain split of the same bytes', () => {
  // Pieces that put the marker, and halves of it, at every distance from a read's edge.
  const pieces = ['x', 'yyyyyyyyyyyyy', '"usage"', '"usag', 'e"', '"', '"usage": {', 'é'];

  it.each(Array.from({ length: 16 }, (_, i) => i + 1))(
    'hands every line over once, as its own bytes (seed %i)',
    (seed) => {
      const pick = seededPick(seed);
      for (let round = 0; round < 40; round++) {
        const maxLineBytes = 8 + pick(200);
        const keepBytes = 1 + pick(maxLineBytes);
        const chunkBytes = 1 + pick(3 * maxLineBytes);
        const lines: string[] = [];
        for (let i = pick(12); i >= 0; i--) {
          let line = '';
          const length = pick(4) === 0 ? pick(3 * maxLineBytes) : pick(maxLineBytes);
          while (Buffer.byteLength(line) < length) line += pieces[pick(pieces.length)];
          lines.push(pick(6) === 0 ? '' : line);
        }
        const last = pick(3) === 0 ? lines.pop()! : undefined; // a final line without '\n'
        const content = Buffer.from(lines.map((l) => l + '\n').join('') + (last ?? ''));
        const path = join(dir, `f${n++}.jsonl`);
        writeFileSync(path, content);
        const got: string[] = [];
        let partial: string | undefined;
        const fd = openSync(path, 'r');
        let result: ReturnType<typeof scanLines>;
        try {
          result = scanLines(
            fd,
            0,
            content.length,
            {
              line: (b, i) => got.push(`${i} line ${b.toString('latin1')}`),
              oversized: (h, t, i) =>
                got.push(`${i} oversized ${h.toString('latin1')}|${t.toString('latin1')}`),
              partial: (b, i) => ((partial = `${i} ${b.toString('latin1')}`), true),
              other: (b, from, to, i) => got.push(`${i} other ${b.toString('latin1', from, to)}`),
            },
            { chunkBytes, maxLineBytes, keepBytes },
          );
        } finally {
          closeSync(fd);
        }
        const context = JSON.stringify({ seed, round, chunkBytes, maxLineBytes, keepBytes });
        let offset = 0;
        const wanted = lines.map((text, i) => {
          const bytes = Buffer.from(text);
          offset += bytes.length + 1;
          const whole = bytes.toString('latin1');
          const marker = text.includes('"usage"');
          // Kept whole, or (longer than maxLineBytes) head and tail: which one depends on where the reads fall.
          const shown = got.find((g) => g.startsWith(`${i + 1} `));
          if (shown === `${i + 1} ${marker ? 'line' : 'other'} ${whole}`) return shown;
          if (bytes.length > maxLineBytes && !marker) return `${i + 1} other ${whole.slice(0, keepBytes)}`;
          const tail = whole.slice(keepBytes).slice(-keepBytes);
          if (bytes.length > maxLineBytes) return `${i + 1} oversized ${whole.slice(0, keepBytes)}|${tail}`;
          return `${i + 1} ${marker ? 'line' : 'other'} ${whole}`;
        });
        expect(got, context).toEqual(wanted.filter((w, i) => lines[i] !== '' && w !== undefined));
        // A last line without '\n' is offered when it holds the marker and is short enough to keep.
        const lastBytes = last === undefined ? 0 : Buffer.byteLength(last);
        const offered = last !== undefined && last.includes('"usage"') && lastBytes <= maxLineBytes;
        expect(partial, context).toBe(
          offered ? `${lines.length + 1} ${Buffer.from(last).toString('latin1')}` : undefined,
        );
        const { seam, ...counts } = result;
        expect(counts, context).toEqual({
          offset: offset + (offered ? lastBytes : 0),
          lines: lines.length + (offered ? 1 : 0),
          bytes: content.length,
        });
        // The seam is the 64 bytes just before the offset (fewer when it is nearer the start).
        expect(seam.length, context).toBe(Math.min(64, result.offset));
        expect(content.subarray(result.offset - seam.length, result.offset).equals(seam), context).toBe(true);
      }
    },
  );
});
