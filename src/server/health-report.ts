// GET /api/v1/health's verdict: ok, or degraded with the reasons: the database cannot be read, no Claude dir
// is readable (unless this is a hub, which needs none), the ingest worker is down or its last passes failed,
// the last site build failed. An empty index is healthy (nothing logged yet is not a fault). A hub adds each
// machine's last request and lag; an agent its last push. Neither degrades health: a laptop that is off, or
// a hub that is down for a while, is not this process's fault.
import { accessSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';
import { version } from '../version.ts';
import { cached } from './cached.ts';
import type { Runtime } from './runtime.ts';

export interface HealthReport {
  status: 'ok' | 'degraded';
  reason?: string;
  version: string;
  uptime_s: number;
  claude_dirs: { path: string; exists: boolean; readable: boolean }[];
  db: { ok: boolean; messages: number | null; error?: string };
  last_ingest_at: string | null;
  last_build_at: string | null;
  ingest_lag_s: number | null;
  /** A hub's machines, by name. */
  machines?: MachineHealth[];
  /** An agent's push to its hub. */
  push?: { url: string; last_push_at: string | null; last_error: string | null; sent: number };
}

export interface MachineHealth {
  machine: string;
  user: string | null;
  last_seen_at: string;
  /** Seconds since the machine's last accepted request. */
  lag_s: number;
  /** The newest response time received from it. */
  newest_at: string | null;
  /** Rows its agent still had to send at its last request. */
  pending: number | null;
  accepted: number;
  duplicates: number;
  rejected: number;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function machinesHealth(rt: Runtime, now: number): MachineHealth[] {
  const rows = rt
    .reader()
    ?.prepare(
      `SELECT machine, last_user AS user, last_seen_at AS lastSeen, newest_ts AS newest, pending, accepted,
         duplicates, rejected FROM hub_machines ORDER BY machine`,
    )
    .all() as
    | {
        machine: string;
        user: string | null;
        lastSeen: number;
        newest: number | null;
        pending: number | null;
        accepted: number;
        duplicates: number;
        rejected: number;
      }[]
    | undefined;
  return (rows ?? []).map((r) => ({
    machine: r.machine,
    user: r.user,
    last_seen_at: iso(r.lastSeen)!,
    lag_s: Math.max(0, Math.round((now - r.lastSeen) / 1000)),
    newest_at: iso(r.newest),
    pending: r.pending,
    accepted: r.accepted,
    duplicates: r.duplicates,
    rejected: r.rejected,
  }));
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function claudeDirStatus(dirs: readonly string[]): HealthReport['claude_dirs'] {
  return dirs.map((path) => ({
    path,
    exists: existsSync(path),
    readable: readable(join(path, 'projects')),
  }));
}

export function lastIngestAt(rt: Runtime): number | null {
  if (rt.status.lastIngestAt !== null) return rt.status.lastIngestAt;
  const row = rt.reader()?.prepare(`SELECT value FROM meta WHERE key = 'last_ingest_at'`).get() as
    { value: string } | undefined;
  return row ? Number(row.value) : null;
}

export function healthReport(rt: Runtime, now = Date.now()): HealthReport {
  const dirs = claudeDirStatus(rt.config.claudeDirs);
  const db: HealthReport['db'] = { ok: false, messages: null };
  try {
    const reader = rt.reader();
    if (!reader) db.error = `database ${rt.config.dbPath} does not exist yet`;
    else {
      db.messages = cached(
        rt,
        'health-messages',
        String(rt.generation),
        // The rollup's count is the messages' (one row per counted message), without a scan of millions.
        () =>
          reader.prepare('SELECT coalesce(sum(messages), 0) AS n FROM usage_daily').get() as { n: number },
      ).n;
      db.ok = true;
    }
  } catch (error) {
    db.error = (error as Error).message;
  }
  const ingestAt = db.ok ? lastIngestAt(rt) : rt.status.lastIngestAt;
  const reasons: string[] = [];
  if (!db.ok) reasons.push(`database unreadable: ${db.error}`);
  if (!dirs.some((d) => d.readable) && rt.status.hub === null) {
    reasons.push(
      `no Claude Code data found at ${rt.config.claudeDirs.join(', ')} (no readable projects/ folder); set CTM_CLAUDE_DIR`,
    );
  }
  const s = rt.status;
  if (s.ingestDown !== null) reasons.push(`ingest worker down: ${s.ingestDown}`);
  if (s.failedPasses > 0) {
    const passes = s.failedPasses === 1 ? 'the last ingest pass' : `the last ${s.failedPasses} ingest passes`;
    reasons.push(`${passes} failed: ${s.lastPassError}`);
  }
  if (s.lastBuildError !== null) {
    const retry = s.buildRetryAt === null ? '' : `; retrying at ${new Date(s.buildRetryAt).toISOString()}`;
    reasons.push(`the last site build failed: ${s.lastBuildError}${retry}`);
  }
  return {
    status: reasons.length ? 'degraded' : 'ok',
    ...(reasons.length ? { reason: reasons.join('; ') } : {}),
    version,
    uptime_s: Math.round((now - rt.startedAt) / 1000),
    claude_dirs: dirs,
    db,
    last_ingest_at: ingestAt === null ? null : new Date(ingestAt).toISOString(),
    last_build_at: rt.status.lastBuildAt === null ? null : new Date(rt.status.lastBuildAt).toISOString(),
    ingest_lag_s: ingestAt === null ? null : Math.max(0, Math.round((now - ingestAt) / 1000)),
    ...(s.hub !== null && db.ok ? { machines: machinesHealth(rt, now) } : {}),
    ...(s.push !== null
      ? {
          push: {
            url: s.push.url,
            last_push_at: iso(s.push.lastPushAt),
            last_error: s.push.lastError,
            sent: s.push.sent,
          },
        }
      : {}),
  };
}
