// The site-job runner on shutdown: a job still waiting in the queue when the runner stops never starts (it
// would run a build after the server is gone, against a data dir that may be going away too).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.ts';
import { silentLogger } from '../log.ts';
import { createJobRunner, type Job } from './job-runner.ts';

describe('createJobRunner', () => {
  it('cancels queued jobs once stopped, without starting them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctm-jobs-'));
    try {
      const config = loadConfig({ CTM_DATA_DIR: dir, CTM_CLAUDE_DIR: join(dir, 'claude') });
      const started: Job[] = [];
      const done: Job[] = [];
      const runner = createJobRunner(
        config,
        silentLogger,
        (job) => started.push(job),
        (r) => done.push(r.job),
      );
      const queued = runner.run('build');
      await runner.stop();
      expect(await queued).toMatchObject({ job: 'build', ok: false, cancelled: true });
      expect(await runner.run('snapshot')).toMatchObject({ job: 'snapshot', cancelled: true });
      expect(started).toEqual([]);
      expect(done).toEqual([]);
      expect(runner.busy).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
