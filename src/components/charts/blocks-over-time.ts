// 5-hour blocks (gaps left out) → one bar of tokens per block at its start time, with the token limit line.
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
      { label: 'Cost', unit: 'usd', type: 'line', color: 5 },
    ],
    values: [real.map((b) => b.totalTokens), real.map((b) => b.costUSD)],
    limit: limit > 0 ? { label: 'Token limit', value: limit } : undefined,
  };
}
