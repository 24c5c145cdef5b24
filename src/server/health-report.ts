// GET /api/v1/health's verdict: ok, or degraded with the reasons: the database cannot be read, no Claude dir
// is readable, the ingest worker is down or its last passes failed, the last site build failed. An empty
// index is healthy (nothing logged yet is not a fault).
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
        () => reader.prepare('SELECT count(*) AS n FROM usage').get() as { n: number },
      ).n;
      db.ok = true;
    }
  } catch (error) {
    db.error = (error as Error).message;
  }
  const ingestAt = db.ok ? lastIngestAt(rt) : rt.status.lastIngestAt;
  const reasons: string[] = [];
  if (!db.ok) reasons.push(`database unreadable: ${db.error}`);
  if (!dirs.some((d) => d.readable)) {
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
  };
}
