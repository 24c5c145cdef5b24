// A session's requests → tokens per request as points over time, plus the running cost as a line, with times
// shown in the configured timezone.
import type { SessionRequestRow } from '../../db/queries/session-requests.ts';
import type { ChartSpec } from './chart-spec.ts';

export function requestsOverTime(
  rows: readonly SessionRequestRow[],
  tz: string,
  timeLabel: (ts: number) => string,
): ChartSpec {
  let running = 0;
  const cumulative = rows.map((r) => (running += r.cost ?? 0));
  return {
    label: 'Tokens per request and cumulative cost over the session',
    xKind: 'time',
    tz,
    xLabels: rows.map((r) => timeLabel(r.ts)),
    x: rows.map((r) => r.ts / 1000),
    series: [
      { label: 'Tokens', unit: 'tokens', type: 'points', color: 0 },
      { label: 'Cost so far', unit: 'usd', type: 'line', color: 5 },
    ],
    values: [rows.map((r) => r.totalTokens), cumulative],
  };
}
