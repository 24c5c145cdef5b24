// The page-refresh worker thread of `ctm start`: renders the pages an ingest commit touched with the published
// build's SSR bundle and writes them into the site. A thread of its own, so a slow render never delays the
// next ingest commit or an HTTP response; recycled by the supervisor after each build (a loaded bundle cannot
// be unloaded, a thread can).
import { parentPort, workerData } from 'node:worker_threads';
import { WORKER_DATA_ENV } from './supervised-worker.ts';
import { inheritedConfig } from '../config-channel.ts';
import { createLogger } from '../log.ts';
import { createPageRefresh } from './page-refresh.ts';
import type { FromRefreshWorker, ToRefreshWorker } from './worker-messages.ts';

// A thread (parentPort) or a forked child process (IPC, workerData in the environment).
const port = parentPort ?? {
  postMessage: (message: unknown) => process.send?.(message),
  on: (_event: 'message', listener: (message: ToRefreshWorker) => void) => process.on('message', listener),
  close: () => process.disconnect?.(),
};
// A forked worker whose parent is gone (even by kill -9) has nothing left to do.
if (!parentPort) process.on('disconnect', () => process.exit(0));
const config = inheritedConfig(process.env);
const { logJson } = (parentPort ? workerData : JSON.parse(process.env[WORKER_DATA_ENV] ?? '{}')) as {
  logJson: boolean;
};
// Same stream and format as the main thread's log (a worker's stdout is never a TTY itself).
const log = createLogger(config.logLevel, process.stdout, logJson);
const post = (message: FromRefreshWorker): void => void port.postMessage(message);
const refresh = createPageRefresh(config, log, (pages, ms) => post({ type: 'refreshed', pages, ms }));

port.on('message', (message: ToRefreshWorker) => {
  if (message.type === 'site-ready') refresh.siteReady(message.serverEntry);
  else if (message.type === 'refresh') refresh.add(message.changes);
  else if (message.type === 'stop') {
    void refresh.stop().then(() => {
      post({ type: 'stopped' });
      port.close();
    });
  }
});
