// The API routes as plain functions (runtime → status, headers, body). The host writes them straight to the
// socket, which is what keeps /api/v1/live and /api/v1/health in the thousands of requests per second. Live
// and health bodies are cached per ingest commit and second: a burst of polls costs one query round. Usage
// bodies are cached per state of the index (SQLite's data_version, which any other connection's commit
// changes: the ingest's, the hub's, another process's) and resolved parameters (a default range resolves to
// today's days, so a new day misses), in USAGE_SLOTS one-entry slots picked by the parameters: a few
// dashboards polling their own queries each hit, and the cache never grows.
import { usageGrouped } from '../db/queries/usage-grouped.ts';
import { cached } from './cached.ts';
import { healthReport, lastIngestAt } from './health-report.ts';
import { liveSnapshot } from './live-snapshot.ts';
import { officialLimits } from './official-limits.ts';
import type { Runtime } from './runtime.ts';
import { ParamError, parseUsageParams, type UsageParams } from './usage-params.ts';
import type { Db } from '../db/open.ts';
import { projectNames, type ProjectName } from '../db/queries/project-names.ts';
import { projectDisplayNames } from '../report/project-display-names.ts';
import { describeProject, resolveProject } from '../report/resolve-project.ts';

export interface PlainResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
};

function json(status: number, body: string | Buffer): PlainResponse {
  return { status, headers: JSON_HEADERS, body };
}

function cacheKey(rt: Runtime, now: number): string {
  return `${rt.generation}:${Math.floor(now / 1000)}`;
}

export function health(rt: Runtime, now = Date.now()): PlainResponse {
  return cached(rt, 'health', cacheKey(rt, now), () => {
    const report = healthReport(rt, now);
    return json(report.status === 'ok' ? 200 : 503, Buffer.from(JSON.stringify(report)));
  });
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
        officialLimits: officialLimits(rt.limits(), now),
      }),
    );
  });
}

function unavailable(rt: Runtime): PlainResponse {
  return json(
    503,
    JSON.stringify({
      error: 'unavailable',
      message: rt.status.noDataReason ?? `the database ${rt.config.dbPath} does not exist yet`,
    }),
  );
}

export function live(rt: Runtime, now = Date.now()): PlainResponse {
  return cached(rt, 'live-response', cacheKey(rt, now), () => {
    const body = liveBody(rt, now);
    return body === null ? unavailable(rt) : json(200, Buffer.from(body));
  });
}

const USAGE_SLOTS = 16;

function slotOf(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return (h >>> 0) % USAGE_SLOTS;
}

export function usage(rt: Runtime, url: URL, now = Date.now()): PlainResponse {
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
  const resolved = JSON.stringify(params);
  const version = db.pragma('data_version', { simple: true }) as number;
  return cached(rt, `usage:${slotOf(resolved)}`, `${version}:${resolved}`, () => usageBody(rt, db, params));
}

/** The first ten projects by display name and path, then how many more. */
function known(candidates: readonly ProjectName[], names: readonly ProjectName[]): string {
  const listed = candidates.slice(0, 10).map((c) => describeProject(c, names));
  return candidates.length > 10
    ? `${listed.join(', ')} and ${candidates.length - 10} more`
    : listed.join(', ');
}

/** A `project` parameter's project key, or the 400 that says why it names none. */
function projectKey(
  input: string,
  names: readonly ProjectName[],
): { key: string } | { error: PlainResponse } {
  const match = resolveProject(input, names);
  if (match.kind === 'found') return { key: match.project };
  const message =
    match.kind === 'ambiguous'
      ? `project: "${input}" fits ${match.candidates.map((c) => describeProject(c, names)).join(', ')}`
      : `project: no project is named "${input}"; known: ${known(match.known, names)}`;
  const body = { error: 'bad_parameter', parameter: 'project', message };
  return { error: json(400, JSON.stringify(body)) };
}

function usageBody(rt: Runtime, db: Db, params: UsageParams): PlainResponse {
  // Projects are named (and a `project` parameter found) from project_cwds, read once for the request.
  const names = params.groupBy === 'project' || params.project !== undefined ? projectNames(db) : [];
  let project: string | undefined;
  if (params.project !== undefined) {
    const found = projectKey(params.project, names);
    if ('error' in found) return found.error;
    project = found.key;
  }
  const grouped = usageGrouped(db, {
    ...params,
    project,
    timezone: params.tz,
    costMode: rt.config.costMode,
    local: { machine: rt.config.machine, user: rt.config.user },
  });
  // Projects by their key and the display name every page shows.
  const labels =
    params.groupBy === 'project' || project !== undefined ? projectDisplayNames(names) : undefined;
  const rows =
    params.groupBy === 'project'
      ? grouped.map((r) => ({ ...r, name: labels!.get(r.key)?.name ?? r.key }))
      : grouped;
  const totals = { totalTokens: 0, cost: 0, messages: 0 };
  for (const r of rows) {
    totals.totalTokens += r.totalTokens;
    totals.cost += r.cost;
    totals.messages += r.messages;
  }
  totals.cost = Math.round(totals.cost * 1e6) / 1e6;
  return json(
    200,
    Buffer.from(
      JSON.stringify({
        from: params.from,
        to: params.to,
        groupBy: params.groupBy,
        timezone: params.tz,
        costMode: rt.config.costMode,
        ...(params.machine !== undefined ? { machine: params.machine } : {}),
        ...(params.user !== undefined ? { user: params.user } : {}),
        ...(project !== undefined ? { project, projectName: labels!.get(project)?.name ?? project } : {}),
        rows,
        totals,
      }),
    ),
  );
}

export async function metrics(rt: Runtime): Promise<PlainResponse> {
  return {
    status: 200,
    headers: { 'content-type': rt.metrics.registry.contentType, 'cache-control': 'no-store' },
    body: await rt.metrics.registry.metrics(),
  };
}
