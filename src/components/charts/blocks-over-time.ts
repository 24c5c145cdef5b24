// 5-hour blocks (gaps left out) → one bar of tokens per block at its start time and its cost as a point (blocks
// are hours or days apart: a line between them would invent the cost of the time between), with the limit line.
import type { Block } from '../../report/identify-blocks.ts';
import type { ChartSpec } from './chart-spec.ts';

export function blocksOverTime(
  blocks: readonly Block[],
  limit: number,
  tz: string,
  timeLabel: (ts: number) => string,
): ChartSpec {
  const real = blocks.filter((b) => !b.isGap);
  const starts = real.map((b) => Date.parse(b.startTime));
  return {
    label: 'Tokens per 5-hour block',
    xKind: 'time',
    tz,
    xLabels: starts.map(timeLabel),
    x: starts.map((t) => t / 1000),
    series: [
      { label: 'Tokens', unit: 'tokens', type: 'bar', color: 0 },
      { label: 'Cost', unit: 'usd', type: 'points', color: 5 },
    ],
    values: [real.map((b) => b.totalTokens), real.map((b) => b.costUSD)],
    limit: limit > 0 ? { label: 'Token limit', value: limit } : undefined,
  };
}
