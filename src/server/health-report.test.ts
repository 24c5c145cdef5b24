// The health verdict from the runtime's status: each fault of the background work is a reason of its own,
// and a status without faults is ok.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { openDb } from '../db/open.ts';
import { silentLogger } from '../log.ts';
import { healthReport } from './health-report.ts';
import { createRuntime, type RuntimeStatus } from './runtime.ts';

const root = mkdtempSync(join(tmpdir(), 'ctm-health-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'claude', 'projects'), { recursive: true });
const config = loadConfig({
  CTM_CLAUDE_DIR: join(root, 'claude'),
  CTM_DATA_DIR: join(root, 'data'),
  CTM_TZ: 'UTC',
});
openDb(config.dbPath).close();

function verdict(status: Partial<RuntimeStatus>) {
  const rt = createRuntime(config, silentLogger);
  Object.assign(rt.status, status);
  try {
    return healthReport(rt);
  } finally {
    rt.close();
  }
}

describe('healthReport', () => {
  it('ok without faults', () => {
    expect(verdict({})).toMatchObject({ status: 'ok', db: { ok: true, messages: 0 } });
    expect(verdict({}).reason).toBeUndefined();
  });

  it.each<[Partial<RuntimeStatus>, string]>([
    [
      { ingestDown: 'the ingest worker exited (code 1); restarting' },
      'ingest worker down: the ingest worker exited (code 1); restarting',
    ],
    [{ failedPasses: 1, lastPassError: 'SQLITE_FULL' }, 'the last ingest pass failed: SQLITE_FULL'],
    [{ failedPasses: 4, lastPassError: 'SQLITE_FULL' }, 'the last 4 ingest passes failed: SQLITE_FULL'],
    [
      {
        lastBuildError: 'at 2026-12-01T10:00:00.000Z (exit 1)',
        buildRetryAt: Date.parse('2026-12-01T10:00:30Z'),
      },
      'the last site build failed: at 2026-12-01T10:00:00.000Z (exit 1); retrying at 2026-12-01T10:00:30.000Z',
    ],
  ])('degraded on %j', (status, reason) => {
    expect(verdict(status)).toMatchObject({ status: 'degraded', reason });
  });
});
