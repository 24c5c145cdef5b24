// Child-process entry for the heavy site jobs `ctm start` schedules: `build` (astro build + atomic publish)
// and `snapshot` (archive the published site). Running them in a child keeps the server's event loop free;
// the exit code tells the parent whether the job succeeded.
import { inheritedConfig } from '../config-channel.ts';
import { createLogger } from '../log.ts';

import { BUILD_GATE } from './job-runner.ts';

/** The parent's word that the index is ready to be read: a line on stdin. Its end without one is a failure. */
function goOnStdin(): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdin.once('data', () => {
      process.stdin.destroy();
      resolve();
    });
    process.stdin.once('end', () => reject(new Error('ctm start went away before the first pass was in')));
  });
}

const job = process.argv[2];
const config = inheritedConfig(process.env);
const log = createLogger(config.logLevel, process.stdout);
try {
  if (job === 'build') {
    const path = '../site/build/build-site.ts';
    const { buildSite } = (await import(path)) as {
      buildSite(c: typeof config, l: typeof log, o: { dataReady?: Promise<void> }): Promise<unknown>;
    };
    await buildSite(config, log, process.env[BUILD_GATE] ? { dataReady: goOnStdin() } : {});
  } else if (job === 'snapshot') {
    const path = '../site/archive/snapshot-site.ts';
    const { snapshotSite } = (await import(path)) as { snapshotSite(c: typeof config): Promise<unknown> };
    await snapshotSite(config);
  } else {
    throw new Error(`unknown job "${job}" (build or snapshot)`);
  }
  process.exitCode = 0;
} catch (error) {
  log.error(`${job} failed`, { error: (error as Error).stack ?? String(error) });
  process.exitCode = 1;
}
