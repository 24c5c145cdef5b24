// The last line of a first run, saying where to look and what is there:
// `ready: http://127.0.0.1:51888/ — 7,572 requests, 2025-08-14 … 2026-08-07`.
import type { UsageSpan } from './db/queries/usage-span.ts';
import { formatInt } from './format/number.ts';

export function readyLine(where: string, span: UsageSpan): string {
  if (span.requests === 0 || !span.firstDay || !span.lastDay) return `ready: ${where} — no requests yet`;
  const days = span.firstDay === span.lastDay ? span.firstDay : `${span.firstDay} … ${span.lastDay}`;
  return `ready: ${where} — ${formatInt(span.requests)} request${span.requests === 1 ? '' : 's'}, ${days}`;
}
