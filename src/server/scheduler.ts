// node-cron schedules for the full rebuild (CTM_REBUILD_CRON) and the snapshot (CTM_SNAPSHOT_CRON), in the
// configured timezone; "off" disables either. The jobs themselves run in child processes (job-runner).
import cron from 'node-cron';
import type { Config } from '../config.ts';
import type { Job } from './job-runner.ts';

export function startScheduler(
  config: Pick<Config, 'rebuildCron' | 'snapshotCron' | 'timezone'>,
  run: (job: Job) => unknown,
): () => void {
  const tasks = [
    ['build', config.rebuildCron],
    ['snapshot', config.snapshotCron],
  ]
    .filter(([, expr]) => expr !== 'off')
    .map(([job, expr]) =>
      cron.schedule(expr!, () => void run(job as Job), { timezone: config.timezone, name: `ctm-${job}` }),
    );
  return () => {
    for (const task of tasks) void task.stop();
  };
}
