// `ctm start`: ingest, refresh, schedule and serve until SIGINT/SIGTERM. On a signal it stops accepting
// connections, lets the ingest pass in progress finish its transaction, checkpoints the WAL and exits 0;
// a watchdog forces the exit at 10 s.
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.ts';
import { createLogger } from '../../log.ts';
import { startServer } from '../../server/start-server.ts';

const FORCE_EXIT_MS = 9500;

export async function startCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      timezone: { type: 'string' },
      'claude-dir': { type: 'string' },
      'data-dir': { type: 'string' },
      'cost-mode': { type: 'string' },
      push: { type: 'string' },
      machine: { type: 'string' },
      user: { type: 'string' },
      'start-of-week': { type: 'string' },
    },
  });
  const config = loadConfig(process.env, {
    ...(values.port ? { port: values.port } : {}),
    ...(values.host ? { host: values.host } : {}),
    ...(values.timezone ? { timezone: values.timezone } : {}),
    ...(values['claude-dir'] ? { claudeDir: values['claude-dir'] } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    ...(values['cost-mode'] ? { costMode: values['cost-mode'] } : {}),
    ...(values.push ? { push: values.push } : {}),
    ...(values.machine ? { machine: values.machine } : {}),
    ...(values.user ? { user: values.user } : {}),
    ...(values['start-of-week'] !== undefined ? { startOfWeek: values['start-of-week'] } : {}),
  });
  const log = createLogger(config.logLevel, process.stdout);
  let running;
  try {
    running = await startServer(config, log);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRNOTAVAIL') {
      process.stderr.write(
        `ctm: CTM_HOST: ${config.host} is not an address of this machine (EADDRNOTAVAIL); set CTM_HOST\n`,
      );
      return 2;
    }
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      process.stderr.write(
        `ctm: CTM_PORT: cannot listen on ${config.host}:${config.port} (${code}); set CTM_PORT or CTM_HOST\n`,
      );
      return 2;
    }
    throw error;
  }
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  log.info('shutting down', { signal });
  const watchdog = setTimeout(() => {
    log.error('shutdown took too long; exiting');
    process.exit(1);
  }, FORCE_EXIT_MS);
  watchdog.unref();
  await running.close();
  clearTimeout(watchdog);
  log.info('stopped');
  return 0;
}
