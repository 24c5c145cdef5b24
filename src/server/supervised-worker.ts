// A worker thread kept running: restarted a second after an unexpected exit, replaced on request (recycle),
// stopped gracefully (a "stop" message, then terminate after a grace period). `onSpawn` runs for every new
// thread, so it can be told what it needs to know. With `idleMs` the thread is started on the first message
// and stopped after that long without one, which hands its memory back while nothing happens.
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log.ts';

export interface SupervisedWorker<In> {
  post(message: In): void;
  recycle(): Promise<void>;
  stop(): Promise<void>;
  readonly running: boolean;
}

export function superviseWorker<In extends { type: string }, Out>(o: {
  name: string;
  file: URL;
  workerData: unknown;
  log: Logger;
  graceMs: number;
  idleMs?: number;
  /** V8 old-space cap in MB: makes the thread collect garbage before its heap balloons. */
  maxOldGenerationSizeMb?: number;
  onMessage(message: Out): void;
  onSpawn?(post: (message: In) => void): void;
}): SupervisedWorker<In> {
  let current: Worker | null = null;
  let stopped = false;
  let idle: NodeJS.Timeout | undefined;

  const stopOne = (w: Worker): Promise<void> =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => void w.terminate().then(() => resolve()), o.graceMs);
      w.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      w.postMessage({ type: 'stop' });
    });

  const touch = (): void => {
    if (o.idleMs === undefined) return;
    if (idle) clearTimeout(idle);
    idle = setTimeout(() => {
      const w = current;
      current = null;
      if (w) void stopOne(w);
    }, o.idleMs);
    idle.unref();
  };

  const spawn = (): Worker => {
    const w = new Worker(o.file, {
      workerData: o.workerData,
      ...(o.maxOldGenerationSizeMb
        ? { resourceLimits: { maxOldGenerationSizeMb: o.maxOldGenerationSizeMb } }
        : {}),
    });
    current = w;
    w.on('message', (m: Out) => {
      touch();
      o.onMessage(m);
    });
    w.on('error', (error) =>
      o.log.error(`${o.name} worker crashed`, { error: error.stack ?? String(error) }),
    );
    w.on('exit', (code) => {
      if (current !== w) return;
      current = null;
      if (stopped || o.idleMs !== undefined) return;
      o.log.error(`${o.name} worker exited; restarting`, { code });
      setTimeout(() => !stopped && !current && spawn(), 1000).unref();
    });
    o.onSpawn?.((m) => w.postMessage(m));
    touch();
    return w;
  };

  if (o.idleMs === undefined) spawn();
  return {
    post(message) {
      if (stopped) return;
      const w = current ?? (o.idleMs !== undefined ? spawn() : null);
      touch();
      w?.postMessage(message);
    },
    async recycle() {
      const old = current;
      current = null;
      if (old) await stopOne(old);
      if (!stopped && o.idleMs === undefined) spawn();
    },
    async stop() {
      stopped = true;
      if (idle) clearTimeout(idle);
      const w = current;
      current = null;
      if (w) await stopOne(w);
    },
    get running() {
      return current !== null;
    },
  };
}
