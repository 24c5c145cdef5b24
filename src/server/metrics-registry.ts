// The Prometheus registry behind GET /metrics. Token, cost and message totals are not counted as they stream
// by: they are the database's own sums per (day, model, machine, user), held in memory and re-read for the
// days each ingest commit touched, so a restart, a replayed file or a superseded message can never count
// anything twice. Once the index holds another machine's rows (a hub), every total carries machine and user
// labels (this machine's own under its CTM_MACHINE and CTM_USER); a single machine's metrics have neither.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CostMode } from '../db/day-bucket.ts';
import type { Db } from '../db/open.ts';
import { totalsByDayModel, type DayModelTotalsRow } from '../db/queries/totals-by-day-model.ts';
import { addSums } from '../db/sum-columns.ts';
import { version } from '../version.ts';

const KINDS = [
  ['input', 'inputTokens'],
  ['output', 'outputTokens'],
  ['cache_write_5m', 'cacheWrite5mTokens'],
  ['cache_write_1h', 'cacheWrite1hTokens'],
  ['cache_read', 'cacheReadTokens'],
] as const;

export interface MetricSources {
  ingestLagSeconds(): number | null;
  healthy(): boolean;
  burnRateTokensPerMinute(): number;
  /** Claude Code's official use per limit window (0–1), while each window's reset is ahead. */
  rateLimits?(): { window: string; ratio: number }[];
}

type ModelSums = { labels: { model: string; machine?: string; user?: string }; row: DayModelTotalsRow };

export interface Metrics {
  registry: Registry;
  /** Re-reads the totals of the given days (all days when omitted) from the database. */
  refreshTotals(db: Db, costMode: CostMode, days?: readonly string[]): void;
  ingestLines: Counter<'result'>;
  ingestDuration: Histogram;
  buildDuration: Gauge;
  lastBuildTimestamp: Gauge;
  buildFailures: Counter;
  httpDuration: Histogram<'route' | 'status'>;
  sseClients: Gauge;
  setSources(sources: MetricSources): void;
}

export function createMetrics(local: { machine: string; user: string } = { machine: '', user: '' }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const totals = new Map<string, DayModelTotalsRow>();
  let sources: MetricSources | undefined;

  /** Sums per model, machine and user, and the labels each is shown with. */
  const byModel = (): ModelSums[] => {
    const out = new Map<string, ModelSums>();
    let remote = false;
    for (const row of totals.values()) if (row.machine !== '' || row.user !== '') remote = true;
    for (const row of totals.values()) {
      const key = remote ? `${row.model}\u0000${row.machine}\u0000${row.user}` : row.model;
      const acc = out.get(key);
      if (!acc) {
        const labels = remote
          ? { model: row.model, machine: row.machine || local.machine, user: row.user || local.user }
          : { model: row.model };
        out.set(key, { labels, row: { ...row } });
        continue;
      }
      addSums(acc.row, row);
    }
    return [...out.values()];
  };

  new Counter({
    name: 'ctm_tokens_total',
    help: 'Tokens recorded in the index, by model and kind (input, output, cache_write_5m, cache_write_1h, cache_read), and on a hub by machine and user.',
    labelNames: ['model', 'kind', 'machine', 'user'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { labels, row } of byModel())
        for (const [kind, field] of KINDS) this.inc({ ...labels, kind }, row[field]);
    },
  });
  new Counter({
    name: 'ctm_cost_usd_total',
    help: 'Cost in USD of the recorded messages, by model (unpriced models count 0), and on a hub by machine and user.',
    labelNames: ['model', 'machine', 'user'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { labels, row } of byModel()) this.inc(labels, row.cost);
    },
  });
  new Counter({
    name: 'ctm_messages_total',
    help: 'Counted API messages in the index, on a hub by machine and user.',
    labelNames: ['machine', 'user'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const per = new Map<string, { labels: { machine?: string; user?: string }; n: number }>();
      for (const { labels, row } of byModel()) {
        const key = `${labels.machine ?? ''}\u0000${labels.user ?? ''}`;
        const acc = per.get(key) ?? {
          labels: labels.machine === undefined ? {} : { machine: labels.machine, user: labels.user! },
          n: 0,
        };
        acc.n += row.messages;
        per.set(key, acc);
      }
      if (per.size === 0) this.inc(0);
      for (const { labels, n } of per.values()) this.inc(labels, n);
    },
  });
  const ingestLines = new Counter({
    name: 'ctm_ingest_lines_total',
    help: 'Transcript lines read since start, by result (new, updated, duplicate, ignored, skipped).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'ctm_ingest_lag_seconds',
    help: 'Seconds since the last completed ingest pass (passes run on every change and every CTM_RESCAN_SECONDS).',
    registers: [registry],
    collect() {
      const lag = sources?.ingestLagSeconds();
      if (lag !== null && lag !== undefined) this.set(lag);
    },
  });
  const ingestDuration = new Histogram({
    name: 'ctm_ingest_duration_seconds',
    help: 'Duration of ingest passes.',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const buildDuration = new Gauge({
    name: 'ctm_build_duration_seconds',
    help: 'Duration of the last full site build.',
    registers: [registry],
  });
  const lastBuildTimestamp = new Gauge({
    name: 'ctm_last_build_timestamp_seconds',
    help: 'Unix time at which the published site was last built successfully.',
    registers: [registry],
  });
  const buildFailures = new Counter({
    name: 'ctm_build_failures_total',
    help: 'Full site builds that failed since start (the last good site stays published).',
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'ctm_http_request_duration_seconds',
    help: 'HTTP request duration by route and status.',
    labelNames: ['route', 'status'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const sseClients = new Gauge({
    name: 'ctm_sse_clients',
    help: 'Open GET /api/v1/stream connections.',
    registers: [registry],
  });
  new Gauge({
    name: 'ctm_health_ok',
    help: '1 while GET /api/v1/health answers ok, 0 while degraded.',
    registers: [registry],
    collect() {
      this.set(sources?.healthy() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'ctm_burn_rate_tokens_per_minute',
    help: 'Token burn rate of the active 5-hour block (0 when no block is active).',
    registers: [registry],
    collect() {
      this.set(sources?.burnRateTokensPerMinute() ?? 0);
    },
  });
  new Gauge({
    name: 'ctm_rate_limit_used_ratio',
    help: "Claude Code's official use of a limit window (five_hour, seven_day, spend_limit), 0-1, as the status line last saw it; absent once the window has reset.",
    labelNames: ['window'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { window, ratio } of sources?.rateLimits?.() ?? []) this.set({ window }, ratio);
    },
  });
  const info = new Gauge({
    name: 'ctm_info',
    help: 'ctm build information.',
    labelNames: ['version'] as const,
    registers: [registry],
  });
  info.set({ version }, 1);

  return {
    registry,
    refreshTotals(db, costMode, days) {
      const rows = totalsByDayModel(db, costMode, days);
      if (days) {
        const wanted = new Set(days);
        for (const [key, row] of totals) if (wanted.has(row.day)) totals.delete(key);
      } else totals.clear();
      for (const row of rows)
        totals.set(`${row.day}\u0000${row.model}\u0000${row.machine}\u0000${row.user}`, row);
    },
    ingestLines,
    ingestDuration,
    buildDuration,
    lastBuildTimestamp,
    buildFailures,
    httpDuration,
    sseClients,
    setSources(s) {
      sources = s;
    },
  };
}
