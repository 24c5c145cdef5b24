import { describe, expect, it } from 'vitest';
import { identifyBlocks, maxBlockTokens, BLOCK_MS } from './identify-blocks.ts';
import type { TimelineRow } from '../db/queries/usage-timeline.ts';

const H = 3_600_000;
const T0 = Date.parse('2026-03-01T10:17:00Z');
const row = (ts: number, o: Partial<TimelineRow> = {}): TimelineRow => ({
  ts,
  model: 'claude-opus-4-5',
  inputTokens: 100,
  outputTokens: 50,
  cacheCreationTokens: 10,
  cacheReadTokens: 40,
  cost: 1,
  ...o,
});
const FAR_FUTURE = T0 + 1000 * H;

describe('identifyBlocks (ccusage semantics)', () => {
  it('no rows → no blocks', () => {
    expect(identifyBlocks([], T0)).toEqual([]);
  });

  it('a block starts at its first message floored to the UTC hour and lasts 5 h', () => {
    const [b] = identifyBlocks([row(T0), row(T0 + 2 * H)], FAR_FUTURE);
    expect(b).toMatchObject({
      id: '2026-03-01T10:00:00.000Z',
      startTime: '2026-03-01T10:00:00.000Z',
      endTime: '2026-03-01T15:00:00.000Z',
      actualEndTime: '2026-03-01T12:17:00.000Z',
      isActive: false,
      isGap: false,
      entries: 2,
      tokenCounts: {
        inputTokens: 200,
        outputTokens: 100,
        cacheCreationInputTokens: 20,
        cacheReadInputTokens: 80,
      },
      totalTokens: 400,
      costUSD: 2,
      models: ['claude-opus-4-5'],
      projection: null,
    });
  });

  it('a message more than 5 h after the block start opens a new block (no gap block when the gap is short)', () => {
    // Start floored to 10:00; 14:59 is inside, 15:01 is 5h01 after the start → new block.
    const blocks = identifyBlocks(
      [row(T0), row(Date.parse('2026-03-01T14:59:00Z')), row(Date.parse('2026-03-01T15:01:00Z'))],
      FAR_FUTURE,
    );
    expect(blocks.map((b) => [b.startTime, b.entries, b.isGap])).toEqual([
      ['2026-03-01T10:00:00.000Z', 2, false],
      ['2026-03-01T15:00:00.000Z', 1, false],
    ]);
  });

  it('exactly 5 h after the floored start stays in the block', () => {
    const start = Date.parse('2026-03-01T10:00:00Z');
    const blocks = identifyBlocks([row(start), row(start + BLOCK_MS)], FAR_FUTURE);
    expect(blocks).toHaveLength(1);
  });

  it('reads its rows once, in order: a stream of them gives the blocks an array does', () => {
    const rows = [row(T0), row(T0 + H), row(T0 + 6 * H), row(T0 + 20 * H), row(T0 + 21 * H)];
    function* stream() {
      yield* rows;
    }
    expect(identifyBlocks(stream(), FAR_FUTURE)).toEqual(identifyBlocks(rows, FAR_FUTURE));
  });

  it('a gap of more than 5 h gives a gap block from last activity + 5 h to the next message', () => {
    const next = T0 + 8 * H;
    const blocks = identifyBlocks([row(T0), row(next)], FAR_FUTURE);
    expect(blocks.map((b) => [b.id, b.startTime, b.endTime, b.isGap, b.entries])).toEqual([
      ['2026-03-01T10:00:00.000Z', '2026-03-01T10:00:00.000Z', '2026-03-01T15:00:00.000Z', false, 1],
      ['gap-2026-03-01T15:17:00.000Z', '2026-03-01T15:17:00.000Z', '2026-03-01T18:17:00.000Z', true, 0],
      ['2026-03-01T18:00:00.000Z', '2026-03-01T18:00:00.000Z', '2026-03-01T23:00:00.000Z', false, 1],
    ]);
    expect(blocks[1]).toMatchObject({
      totalTokens: 0,
      costUSD: 0,
      burnRate: null,
      projection: null,
      actualEndTime: null,
    });
  });

  it('active block: burn rate over first→last message, projection to the block end', () => {
    const rows = [
      row(T0, { inputTokens: 1000, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, cost: 3 }),
      row(T0 + 30 * 60_000, {
        inputTokens: 0,
        outputTokens: 2000,
        cacheCreationTokens: 0,
        cacheReadTokens: 0,
        cost: 3,
      }),
    ];
    const now = T0 + 60 * 60_000; // 11:17, block ends 15:00 → 223 minutes left
    const [b] = identifyBlocks(rows, now);
    expect(b!.isActive).toBe(true);
    expect(b!.burnRate).toEqual({ tokensPerMinute: 100, tokensPerMinuteForIndicator: 100, costPerHour: 12 });
    expect(b!.projection).toEqual({
      totalTokens: 3000 + 100 * 223,
      totalCost: 6 + 12 * (223 / 60),
      remainingMinutes: 223,
    });
  });

  it('not active once 5 h passed since the last message or the block ended', () => {
    expect(identifyBlocks([row(T0)], T0 + BLOCK_MS + 1)[0]!.isActive).toBe(false);
    expect(identifyBlocks([row(T0)], Date.parse('2026-03-01T15:00:00Z'))[0]!.isActive).toBe(false);
    expect(identifyBlocks([row(T0)], Date.parse('2026-03-01T14:59:59Z'))[0]!.isActive).toBe(true);
  });

  it('a single-message block has no burn rate (zero duration) and so no projection', () => {
    const [b] = identifyBlocks([row(T0)], T0 + 60_000);
    expect(b).toMatchObject({ isActive: true, burnRate: null, projection: null });
  });

  it('unpriced messages add tokens but no cost, and are counted', () => {
    const [b] = identifyBlocks([row(T0, { cost: null, model: 'acme' }), row(T0 + 1000)], FAR_FUTURE);
    expect(b).toMatchObject({
      costUSD: 1,
      unpricedEntries: 1,
      totalTokens: 400,
      models: ['acme', 'claude-opus-4-5'],
    });
  });

  it('models in the order first used (as ccusage), not by name', () => {
    const rows = [
      row(T0, { model: 'zeta' }),
      row(T0 + 1000, { model: 'alpha' }),
      row(T0 + 2000, { model: 'zeta' }),
    ];
    expect(identifyBlocks(rows, FAR_FUTURE)[0]!.models).toEqual(['zeta', 'alpha']);
  });

  it('models first used at the same instant (an advisor and its response) by name, whatever the row order', () => {
    const a = [row(T0, { model: 'zeta' }), row(T0, { model: 'alpha' }), row(T0 + H, { model: 'beta' })];
    const b = [a[1]!, a[0]!, a[2]!];
    expect(identifyBlocks(a, FAR_FUTURE)[0]!.models).toEqual(['alpha', 'zeta', 'beta']);
    expect(identifyBlocks(b, FAR_FUTURE)[0]!.models).toEqual(['alpha', 'zeta', 'beta']);
  });

  it('max token limit: the largest completed block, ignoring gaps and the active block', () => {
    const rows = [
      row(T0, { inputTokens: 5000 }),
      row(T0 + 10 * H),
      row(T0 + 20 * H, { inputTokens: 90_000 }),
    ];
    const blocks = identifyBlocks(rows, T0 + 20 * H + 60_000);
    expect(blocks.map((b) => [b.isGap, b.isActive])).toEqual([
      [false, false],
      [true, false],
      [false, false],
      [true, false],
      [false, true],
    ]);
    expect(maxBlockTokens(blocks)).toBe(5100);
  });
});
