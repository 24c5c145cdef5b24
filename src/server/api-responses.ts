// The on-demand routes as plain functions (runtime → Response), so the Astro endpoints stay one line each
// and the host can answer /api/v1/health itself before the first site build has produced an SSR bundle.
// Live and health bodies are cached per ingest commit and second: a burst of polls costs one query round.
import { usageGrouped } from '../db/queries/usage-grouped.ts';
import { cached } from './cached.ts';
import { healthReport, lastIngestAt } from './health-report.ts';
import { liveSnapshot } from './live-snapshot.ts';
import type { Runtime } from './runtime.ts';
import { ParamError, parseUsageParams } from './usage-params.ts';

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
};

function json(status: number, body: string): Response {
  return new Response(body, { status, headers: JSON_HEADERS });
}

function cacheKey(rt: Runtime, now: number): string {
  return `${rt.generation}:${Math.floor(now / 1000)}`;
}

export function healthResponse(rt: Runtime, now = Date.now()): Response {
  const { status, body } = cached(rt, 'health', cacheKey(rt, now), () => {
    const report = healthReport(rt, now);
    return { status: report.status === 'ok' ? 200 : 503, body: JSON.stringify(report) };
  });
  return json(status, body);
}

export function liveBody(rt: Runtime, now = Date.now()): string | null {
  return cached(rt, 'live', cacheKey(rt, now), () => {
    const db = rt.reader();
    if (!db) return null;
    return JSON.stringify(
      liveSnapshot(db, {
        timezone: rt.config.timezone,
        costMode: rt.config.costMode,
        tokenLimit: rt.config.tokenLimit,
        maxBlockTokens: rt.status.maxBlockTokens,
        now,
        lastIngestAt: lastIngestAt(rt),
        lastBuildAt: rt.status.lastBuildAt,
      }),
    );
  });
}

function unavailable(rt: Runtime): Response {
  return json(
    503,
    JSON.stringify({
      error: 'unavailable',
      message: rt.status.noDataReason ?? `the database ${rt.config.dbPath} does not exist yet`,
    }),
  );
}

export function liveResponse(rt: Runtime, now = Date.now()): Response {
  const body = liveBody(rt, now);
  return body === null ? unavailable(rt) : json(200, body);
}

export function usageResponse(rt: Runtime, url: URL, now = Date.now()): Response {
  let params;
  try {
    params = parseUsageParams(url.searchParams, { timezone: rt.config.timezone, now });
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    return json(
      400,
      JSON.stringify({ error: 'bad_parameter', parameter: error.param, message: error.message }),
    );
  }
  const db = rt.reader();
  if (!db) return unavailable(rt);
  const rows = usageGrouped(db, { ...params, timezone: params.tz, costMode: rt.config.costMode });
  const totals = { totalTokens: 0, cost: 0, messages: 0 };
  for (const r of rows) {
    totals.totalTokens += r.totalTokens;
    totals.cost += r.cost;
    totals.messages += r.messages;
  }
  totals.cost = Math.round(totals.cost * 1e6) / 1e6;
  return json(
    200,
    JSON.stringify({
      from: params.from,
      to: params.to,
      groupBy: params.groupBy,
      timezone: params.tz,
      costMode: rt.config.costMode,
      rows,
      totals,
    }),
  );
}

export async function metricsResponse(rt: Runtime): Promise<Response> {
  const body = await rt.metrics.registry.metrics();
  return new Response(body, {
    status: 200,
    headers: { 'content-type': rt.metrics.registry.contentType, 'cache-control': 'no-store' },
  });
}
