// Per-session report in ccusage's shape: sessions[] with sessionId, projectPath, firstActivity and lastActivity
// (ISO timestamps of the first and last counted request), models and breakdowns, oldest activity first. ctm adds
// reportedCost (Claude Code's own total for the session, null when it wrote none; never added into totals),
// startTime/endTime (the same span, kept from earlier releases), projectName (the display name the pages show)
// and the fields of period-report.ts.
import type { SessionModelRow } from '../db/queries/usage-by-session.ts';
import type { ProjectLabel } from './project-display-names.ts';
import { groupEntries, totalsJson, unpricedModels, type Order, type TokenTotals } from './period-report.ts';

interface SessionMeta {
  project: string;
  firstTs: number;
  lastTs: number;
}

function sessionMeta(rows: readonly SessionModelRow[]): Map<string, SessionMeta> {
  const meta = new Map<string, SessionMeta>();
  for (const row of rows) {
    const m = meta.get(row.sessionId);
    if (!m) meta.set(row.sessionId, { project: row.project, firstTs: row.firstTs, lastTs: row.lastTs });
    else {
      m.firstTs = Math.min(m.firstTs, row.firstTs);
      m.lastTs = Math.max(m.lastTs, row.lastTs);
    }
  }
  return meta;
}

/** The rows of the `last` sessions with the latest activity (all rows when `last` is undefined). */
export function lastSessions(
  rows: readonly SessionModelRow[],
  last: number | undefined,
): { rows: SessionModelRow[]; sessionIds: string[] | undefined } {
  if (last === undefined) return { rows: [...rows], sessionIds: undefined };
  const kept = new Set(
    [...sessionMeta(rows)]
      .sort(([a, ma], [b, mb]) => ma.lastTs - mb.lastTs || (a < b ? -1 : a > b ? 1 : 0))
      .slice(-last)
      .map(([id]) => id),
  );
  return { rows: rows.filter((r) => kept.has(r.sessionId)), sessionIds: [...kept] };
}

export function sessionReport(
  rows: readonly SessionModelRow[],
  totals: TokenTotals,
  reported: ReadonlyMap<string, number>,
  order: Order = 'asc',
  names: ReadonlyMap<string, ProjectLabel> = new Map(),
) {
  const meta = sessionMeta(rows);
  const sessions = [...groupEntries(rows, (r) => r.sessionId)]
    .map(([sessionId, entry]) => {
      const m = meta.get(sessionId)!;
      const first = new Date(m.firstTs).toISOString();
      const last = new Date(m.lastTs).toISOString();
      return {
        sessionId,
        projectPath: m.project,
        projectName: names.get(m.project)?.name ?? m.project,
        firstActivity: first,
        lastActivity: last,
        ...entry,
        startTime: first,
        endTime: last,
        reportedCost: reported.get(sessionId) ?? null,
      };
    })
    .sort(
      (a, b) =>
        (a.lastActivity < b.lastActivity ? -1 : a.lastActivity > b.lastActivity ? 1 : 0) ||
        (a.sessionId < b.sessionId ? -1 : 1),
    );
  if (order === 'desc') sessions.reverse();
  return { sessions, totals, unpricedModels: unpricedModels(rows) };
}

export type SessionReport = ReturnType<typeof sessionReport>;

export function sessionJson(report: SessionReport): Record<string, unknown> {
  return {
    sessions: report.sessions,
    totals: totalsJson(report.totals, report.unpricedModels),
    unpricedModels: report.unpricedModels,
  };
}
