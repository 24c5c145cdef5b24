// GET /api/v1/live's JSON → the text and chart of the /live/ page. Shared by the server render and the
// browser element (no Node imports), so the first paint and every streamed update look exactly alike.
import type { ChartSpec } from '../components/charts/chart-spec.ts';
import { limitsOverTime } from '../components/charts/limits-over-time.ts';
import { formatInt, formatUsd } from '../format/number.ts';
import { plural } from '../format/plural.ts';
import { shortModel } from '../format/short-model.ts';
import { formatDateTime, formatTime, localDay } from '../format/local-format.ts';
import type { LiveSnapshot } from './live-snapshot.ts';

export interface LiveView {
  fields: Record<string, string>;
  gauge: { value: number; max: number } | null;
  recent: string[][];
  sessions: string[][];
  chart: ChartSpec | null;
  /** Claude Code's official 5-hour and 7-day use over time, once the status line has recorded any. */
  limitsChart: ChartSpec | null;
}

/** "14:05", or "14:05:09" with seconds, in the page's timezone. */
const clock = (tz: string, ts: number, seconds = false): string =>
  formatTime(ts, tz).slice(0, seconds ? 8 : 5);

const weekday = new Map<string, Intl.DateTimeFormat>();
/** "14:00" within the day ahead, "Thu 14:00" further. */
function resetLabel(tz: string, ts: number, now: number): string {
  if (ts - now < 20 * 3_600_000) return clock(tz, ts);
  let f = weekday.get(tz);
  if (!f) weekday.set(tz, (f = new Intl.DateTimeFormat('en-GB', { timeZone: tz, weekday: 'short' })));
  return `${f.format(ts)} ${clock(tz, ts)}`;
}

function limitField(s: LiveSnapshot, window: string): string {
  const w = s.officialLimits?.windows.find((x) => x.window === window);
  if (!w) return '–';
  const now = Date.parse(s.generatedAt);
  if (!w.current) return `reset at ${resetLabel(s.timezone, w.resetsAt, now)}, no reading since`;
  const dollars =
    w.usedUsd !== null && w.limitUsd !== null ? ` (${formatUsd(w.usedUsd)} of ${formatUsd(w.limitUsd)})` : '';
  return `${Math.round(w.usedPercentage)} %${dollars} · resets ${resetLabel(s.timezone, w.resetsAt, now)}`;
}

function minutes(n: number): string {
  const h = Math.floor(n / 60);
  return h > 0 ? `${h} h ${String(n % 60).padStart(2, '0')} min` : `${n} min`;
}

/** The token limit with no active block: "limit 1,234,567 tokens (largest block)". */
function limitLabel(s: LiveSnapshot): string {
  if (!s.tokenLimit) return 'no limit yet';
  const source = s.tokenLimitSource === 'max' ? 'largest block' : 'CTM_TOKEN_LIMIT';
  return `limit ${formatInt(s.tokenLimit)} tokens (${source})`;
}

/** A request's time: the clock alone for today's (in tz), date and clock for older ones. */
function requestTime(tz: string, ts: number, today: string): string {
  return localDay(ts, tz) === today ? formatTime(ts, tz) : formatDateTime(ts, tz);
}

export function liveView(s: LiveSnapshot): LiveView {
  const tz = s.timezone;
  const b = s.activeBlock;
  const fields: Record<string, string> = {
    'today.day': s.today.day,
    'today.totalTokens': formatInt(s.today.totalTokens),
    'today.cost': formatUsd(s.today.cost),
    'today.messages': formatInt(s.today.messages),
    'today.requests': plural(s.today.messages, 'request'),
    'today.input': formatInt(s.today.inputTokens),
    'today.output': formatInt(s.today.outputTokens),
    'today.cacheWrite': formatInt(s.today.cacheWrite5mTokens + s.today.cacheWrite1hTokens),
    'today.cacheRead': formatInt(s.today.cacheReadTokens),
    'today.models':
      s.today.byModel.map((m) => `${shortModel(m.model)} ${formatUsd(m.cost)}`).join(' · ') || '–',
    'block.state': b ? 'Active block' : 'No active block',
    'block.range': b ? `${clock(tz, Date.parse(b.start))}–${clock(tz, Date.parse(b.end))}` : '–',
    'block.totalTokens': b ? formatInt(b.totalTokens) : '0',
    'block.cost': b ? formatUsd(b.cost) : formatUsd(0),
    'block.remaining': b ? minutes(b.remainingMinutes) : '–',
    'block.percent':
      b?.percentOfLimit != null
        ? `${b.percentOfLimit.toFixed(1)} % of ${formatInt(b.tokenLimit ?? 0)}`
        : limitLabel(s),
    'block.burnRate': b?.burnRate ? `${formatInt(b.burnRate.tokensPerMinute)} tokens/min` : '–',
    'block.costRate': b?.burnRate ? `${formatUsd(b.burnRate.costPerHour)}/h` : '–',
    'block.projection': b?.projection
      ? `${formatInt(b.projection.totalTokens)} tokens · ${formatUsd(b.projection.totalCost)}`
      : '–',
    'limits.fiveHour': limitField(s, 'five_hour'),
    'limits.sevenDay': limitField(s, 'seven_day'),
    'limits.spend': limitField(s, 'spend_limit'),
    'limits.seen': s.officialLimits?.windows.length
      ? `last seen ${clock(tz, Math.max(...s.officialLimits.windows.map((w) => w.observedAt)), true)}`
      : 'not seen yet: run `ctm statusline --print-config`',
    'fresh.ingest': s.freshness.lastIngestAt
      ? clock(tz, Date.parse(s.freshness.lastIngestAt), true)
      : 'never',
    'fresh.generated': clock(tz, Date.parse(s.generatedAt), true),
    timezone: tz,
  };
  const gauge =
    b && b.tokenLimit ? { value: Math.min(b.totalTokens, b.tokenLimit), max: b.tokenLimit } : null;
  const today = localDay(Date.parse(s.generatedAt), tz);
  const recent = s.recentRequests.map((r) => [
    requestTime(tz, r.ts, today),
    shortModel(r.model) + (r.isSidechain ? ' (subagent)' : ''),
    formatInt(r.inputTokens),
    formatInt(r.outputTokens),
    formatInt(r.cacheWriteTokens),
    formatInt(r.cacheReadTokens),
    formatInt(r.totalTokens),
    r.cost === null ? 'unpriced' : formatUsd(r.cost),
  ]);
  const sessions = s.currentSessions.map((x) => [
    x.sessionId.length > 13 ? `${x.sessionId.slice(0, 8)}…` : x.sessionId,
    x.projectName,
    clock(tz, x.lastTs),
    formatInt(x.messages),
    formatInt(x.totalTokens),
    formatUsd(x.cost),
  ]);
  let chart: ChartSpec | null = null;
  if (b && b.series.ts.length > 0) {
    const x = b.series.ts.map((t) => t / 1000);
    chart = {
      label: 'Cumulative tokens in the active 5-hour block',
      xKind: 'time',
      tz,
      xLabels: b.series.ts.map((t) => clock(tz, t)),
      x,
      series: [{ label: 'Tokens so far', unit: 'tokens', type: 'line', color: 0 }],
      draw: [b.series.cumulativeTokens],
      values: [b.series.cumulativeTokens],
      limit: b.tokenLimit ? { label: 'Token limit', value: b.tokenLimit } : undefined,
    };
  }
  const limitsChart = s.officialLimits
    ? limitsOverTime(s.officialLimits.series, tz, (t) => clock(tz, t))
    : null;
  return { fields, gauge, recent, sessions, chart, limitsChart };
}
