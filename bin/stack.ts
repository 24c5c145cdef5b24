// `npm run stack`: the deployment topology without Docker. `ctm start` on an internal loopback port, Debian's
// (or any) nginx with the repo's config on CTM_HOST:CTM_PORT. Ctrl-C or SIGTERM stops both; if either dies
// the other is stopped too. Extra settings: CTM_NGINX_BIN, CTM_METRICS_ALLOW, CTM_STACK_APP_PORT.
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../src/config.ts';
import { findNginx } from '../src/stack/find-nginx.ts';
import { startStack } from '../src/stack/start-stack.ts';

function appPortFrom(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new ConfigError('CTM_STACK_APP_PORT', `expected a port from 1 to 65535, got "${value}"`);
  }
  return n;
}

async function main(): Promise<number> {
  const env = process.env;
  const config = loadConfig(env);
  const nginx = findNginx(env.CTM_NGINX_BIN, env.PATH);
  const stack = await startStack({
    repoRoot: fileURLToPath(new URL('..', import.meta.url)),
    env,
    nginx,
    host: config.host,
    port: config.port,
    appPort: appPortFrom(env.CTM_STACK_APP_PORT),
    metricsAllow: env.CTM_METRICS_ALLOW,
    stdio: 'inherit',
  });
  process.stderr.write(
    `ctm stack: ${stack.url}/ (nginx ${nginx.version}) → ctm start on ${stack.appUrl}; Ctrl-C stops both\n`,
  );
  let gotSignal = false;
  const signalled = new Promise<number>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        gotSignal = true;
        resolve(0);
      });
    }
  });
  // Ctrl-C reaches the whole process group: children exiting on it are not a failure.
  const died = stack.exited.then(({ source, code, signal }) => {
    if (gotSignal) return 0;
    process.stderr.write(`ctm stack: ${source} exited (${signal ?? `code ${code}`}); stopping\n`);
    return 1;
  });
  const status = await Promise.race([signalled, died]);
  await stack.stop();
  return status;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`ctm stack: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`ctm stack: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
