// `ctm build`: builds the report site from the index and publishes it atomically. Exit 1 with the reason in
// one line when the build fails, also on a file system error (the previously published site stays in place);
// exit 2 when the data dir cannot be written at all.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from '../../config.ts';
import { createLogger } from '../../log.ts';
import { formatInt } from '../../format/number.ts';
import { buildSite, BuildError } from '../../site/build/build-site.ts';

export async function buildCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      timezone: { type: 'string' },
      'data-dir': { type: 'string' },
      'start-of-week': { type: 'string' },
    },
  });
  const config = loadConfig(process.env, {
    ...(values.timezone ? { timezone: values.timezone } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    ...(values['start-of-week'] !== undefined ? { startOfWeek: values['start-of-week'] } : {}),
  });
  if (!existsSync(config.dbPath)) {
    throw new ConfigError('CTM_DATA_DIR', `no index at ${config.dbPath}; run \`ctm ingest --once\` first`);
  }
  const log = createLogger(config.logLevel);
  try {
    const result = await buildSite(config, log);
    process.stdout.write(
      `built ${formatInt(result.pages)} pages in ${(result.durationMs / 1000).toFixed(1)} s → ${result.releaseDir}\n`,
    );
    return 0;
  } catch (error) {
    // A file system error names its syscall: the disk's problem, told in one line, not a crash.
    if (error instanceof BuildError || (error as NodeJS.ErrnoException).syscall) {
      process.stderr.write(`ctm build: ${(error as Error).message}; the published site is unchanged\n`);
      return 1;
    }
    throw error;
  }
}
