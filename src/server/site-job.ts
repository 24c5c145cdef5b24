// Child-process entry for the heavy site jobs `ctm start` schedules: `build` (astro build + atomic publish)
// and `snapshot` (archive the published site). Running them in a child keeps the server's event loop free;
// the exit code tells the parent whether the job succeeded.
import { inheritedConfig } from '../config-channel.ts';
import { createLogger } from '../log.ts';

const job = process.argv[2];
const config = inheritedConfig(process.env);
const log = createLogger(config.logLevel, process.stdout);
try {
  if (job === 'build') {
    const path = '../site/build-site.ts';
    const { buildSite } = (await import(path)) as {
      buildSite(c: typeof config, l: typeof log): Promise<unknown>;
    };
    await buildSite(config, log);
  } else if (job === 'snapshot') {
    const path = '../site/snapshot-site.ts';
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
