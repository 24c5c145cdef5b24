// The push thread of `ctm start --push URL`: sends the index to the hub whenever the ingest commits (the main
// thread nudges it) and every few seconds besides, one push cycle at a time, on a connection of its own. It
// never holds up the ingest (its only writes are its cursor, one short transaction per accepted batch) or the
// site, and a hub that is down only makes it wait (backoff); a refusal is logged and tried again much later,
// after someone may have fixed the token or the name.
import { parentPort, workerData } from 'node:worker_threads';
import { inheritedConfig } from '../config-channel.ts';
import { openDb } from '../db/open.ts';
import { createLogger } from '../log.ts';
import { pushPending, PushRefused } from './push-agent.ts';
import type { FromPushWorker, ToPushWorker } from './push-messages.ts';

/** A commit nudges at once; this is the safety net (a commit of another process, a missed nudge). */
const POLL_MS = 5000;
const AFTER_REFUSAL_MS = 5 * 60_000;
const AFTER_ERROR_MS = 10_000;

const config = inheritedConfig(process.env);
const { logJson } = workerData as { logJson: boolean };
const log = createLogger(config.logLevel, process.stdout, logJson);
const post = (m: FromPushWorker): void => parentPort!.postMessage(m);
const db = openDb(config.dbPath);
db.pragma('cache_size = -4000');

const stop = new AbortController();
let wake: (() => void) | null = null;
let nudged = false;

/** Waits ms, or less: until a nudge (unless `nudgeable` is false) or the stop. */
function rest(ms: number, nudgeable: boolean): Promise<void> {
  return new Promise((resolve) => {
    if ((nudgeable && nudged) || stop.signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      wake = null;
      resolve();
    }
    wake = nudgeable ? done : () => stop.signal.aborted && done();
  });
}

async function run(): Promise<void> {
  let refusedBefore = false;
  while (!stop.signal.aborted) {
    nudged = false;
    let pause = POLL_MS;
    try {
      const r = await pushPending({
        db,
        url: config.pushUrl!,
        token: config.pushToken!,
        identity: { machine: config.machine, user: config.user },
        batch: config.pushBatch,
        log,
        signal: stop.signal,
      });
      if (r.sent > 0 || r.sessionCosts > 0)
        log.debug('pushed to hub', { sent: r.sent, requests: r.requests });
      post({ type: 'pushed', sent: r.sent, rejected: r.rejected, at: Date.now(), error: null });
      refusedBefore = false;
    } catch (error) {
      const message = (error as Error).message;
      if (error instanceof PushRefused) {
        if (!refusedBefore)
          log.error('the hub refused this machine’s records; trying again in 5 minutes', { error: message });
        refusedBefore = true;
        pause = AFTER_REFUSAL_MS;
      } else {
        log.error('push failed', { error: message });
        pause = AFTER_ERROR_MS;
      }
      post({ type: 'pushed', sent: 0, rejected: 0, at: Date.now(), error: message });
    }
    await rest(pause, pause !== AFTER_REFUSAL_MS);
  }
}

parentPort!.on('message', (m: ToPushWorker) => {
  if (m.type === 'nudge') {
    nudged = true;
    wake?.();
  } else if (m.type === 'stop') {
    stop.abort();
    wake?.();
  }
});

run()
  .catch((error: unknown) =>
    log.error('push thread failed', { error: (error as Error).stack ?? String(error) }),
  )
  .finally(() => {
    db.close();
    post({ type: 'stopped' });
    parentPort!.close();
  });
