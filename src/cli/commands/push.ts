// `ctm push`: one ingest pass (unless --no-ingest), then everything the index holds beyond its cursor sent to
// the hub (CTM_PUSH_URL or --url, CTM_PUSH_TOKEN), for a cron job or a CI runner's last step. A hub that does
// not answer is tried for about half a minute (backoff); the cursor keeps what was accepted, so the next run
// sends the rest. Exit 0 when everything was accepted, 1 when the hub was unreachable or refused.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../config.ts';
import { openDb } from '../../db/open.ts';
import { formatInt } from '../../format/number.ts';
import { createLogger } from '../../log.ts';
import { pushPending, PushRefused, PushUnavailable } from '../../push/push-agent.ts';

/** Attempts per request: with the backoff's 0.5, 1, 2, 4, 8, 16 s bounds, about half a minute at most. */
const ATTEMPTS = 7;

export async function pushCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      url: { type: 'string' },
      machine: { type: 'string' },
      user: { type: 'string' },
      'no-ingest': { type: 'boolean', default: false },
      'claude-dir': { type: 'string' },
      'data-dir': { type: 'string' },
      timezone: { type: 'string' },
    },
  });
  const config = loadConfig(process.env, {
    ...(values.url ? { push: values.url } : {}),
    ...(values.machine ? { machine: values.machine } : {}),
    ...(values.user ? { user: values.user } : {}),
    ...(values['claude-dir'] ? { claudeDir: values['claude-dir'] } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    ...(values.timezone ? { timezone: values.timezone } : {}),
  });
  if (config.pushUrl === undefined || config.pushToken === undefined)
    throw new ConfigError(
      'CTM_PUSH_URL',
      'set the hub to push to (CTM_PUSH_URL or --url, and CTM_PUSH_TOKEN)',
    );
  const log = createLogger(config.logLevel);
  const db = openDb(config.dbPath);
  try {
    if (!values['no-ingest']) {
      const [{ createIngester, usableClaudeDirs }, { describePass }] = await Promise.all([
        import('../../../ingest/ingester.ts'),
        import('./ingest.ts'),
      ]);
      usableClaudeDirs(config);
      process.stdout.write(describePass(createIngester(db, config, log).pass()) + '\n');
    }
    const started = Date.now();
    try {
      const r = await pushPending({
        db,
        url: config.pushUrl,
        token: config.pushToken,
        identity: { machine: config.machine, user: config.user },
        batch: config.pushBatch,
        log,
        maxAttempts: ATTEMPTS,
      });
      process.stdout.write(
        `pushed ${formatInt(r.sent)} rows and ${formatInt(r.sessionCosts)} session costs as ${config.machine} ` +
          `to ${config.pushUrl} in ${formatInt(r.requests)} requests, ${((Date.now() - started) / 1000).toFixed(2)} s` +
          (r.rejected > 0 ? `; the hub rejected ${formatInt(r.rejected)} (see the log)` : '') +
          '\n',
      );
      return r.rejected > 0 ? 1 : 0;
    } catch (error) {
      if (!(error instanceof PushRefused) && !(error instanceof PushUnavailable)) throw error;
      process.stderr.write(`ctm: push: ${error.message}\n`);
      return 1;
    }
  } finally {
    db.close();
  }
}
