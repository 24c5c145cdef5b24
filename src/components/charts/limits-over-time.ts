// Claude Code's official limits over time → a step chart of the 5-hour and 7-day windows' use in percent, with
// the 90 % line the alert rule fires at. Readings hold until the next one; a gap is a window whose use is
// unknown (reset, no reading since). Pure: used by the blocks page and by /live/ in the browser.
import type { ChartSpec } from './chart-spec.ts';

export interface LimitColumns {
  /** Epoch ms. */
  ts: number[];
  fiveHour: (number | null)[];
  sevenDay: (number | null)[];
}

export function limitsOverTime(
  series: LimitColumns,
  tz: string,
  timeLabel: (ts: number) => string,
): ChartSpec | null {
  if (series.ts.length === 0) return null;
  return {
    label: "Claude Code's official limits: share of each window used",
    xKind: 'time',
    tz,
    xLabels: series.ts.map(timeLabel),
    x: series.ts.map((t) => t / 1000),
    series: [
      { label: '5-hour window', unit: 'percent', type: 'step', color: 0 },
      { label: '7-day window', unit: 'percent', type: 'step', color: 5 },
    ],
    values: [series.fiveHour, series.sevenDay],
    limit: { label: 'Alert at 90 %', value: 90 },
  };
}
