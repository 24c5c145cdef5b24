// A worker thread (or child process) kept running: restarted a second after an unexpected exit, replaced on
// request (recycle) or at once (kill, for one that hangs), stopped gracefully (a "stop" message, then terminate
// after a grace period). A message posted while no worker runs (the second before a restart) is refused, never
// silently lost. `onSpawn` runs for every new worker, so it can be told what it needs to know. With `idleMs`
// the worker is started on the first message and stopped after that long without one. A child process
// (`process: true`) hands all of its memory back to the system when it stops; a thread's freed memory partly
// stays with the process.
import { Worker } from 'node:worker_threads';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../log.ts';

/** The parts of a Worker the supervisor uses, also provided for a forked child process. */
type Listener = (...args: any[]) => void;
interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): Promise<unknown>;
  on(event: string, listener: Listener): unknown;
  once(event: string, listener: Listener): unknown;
}

/** Environment variable carrying workerData to a forked worker. */
export const WORKER_DATA_ENV = 'CTM_WORKER_DATA';

function forkWorker(
  file: URL,
  workerData: unknown,
  env: NodeJS.ProcessEnv,
  maxOldGenerationSizeMb: number | undefined,
): WorkerLike {
  const child = fork(fileURLToPath(file), [], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...env, [WORKER_DATA_ENV]: JSON.stringify(workerData) },
    execArgv: [
      ...process.execArgv,
      ...(maxOldGenerationSizeMb ? [`--max-old-space-size=${maxOldGenerationSizeMb}`] : []),
    ],
  });
  return {
    postMessage: (message) => {
      if (child.connected) child.send(message as object);
    },
    terminate: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
    on: (event, listener) => child.on(event, listener),
    once: (event, listener) => child.once(event, listener),
  };
}

export interface SupervisedWorker<In> {
  /** Hands a message to the worker; false when none can take it now (restarting after a crash, or stopped):
   *  the message is dropped, and a caller waiting for its answer must give up on it. */
  post(message: In): boolean;
  recycle(): Promise<void>;
  /** Ends the worker at once (no "stop", no grace: it may be stuck in a loop) and starts another once it has
   *  exited. Not a crash: onCrash is not called, and what the worker held is the caller's to answer. */
  kill(): Promise<void>;
  stop(): Promise<void>;
  readonly running: boolean;
}

export function superviseWorker<In extends { type: string }, Out>(o: {
  name: string;
  file: URL;
  workerData: unknown;
  /** The worker's environment (config-channel.ts puts the config in it); by default this process's. */
  env?: NodeJS.ProcessEnv;
  log: Logger;
  graceMs: number;
  idleMs?: number;
  /** V8 old-space cap in MB: makes the worker collect garbage before its heap balloons. */
  maxOldGenerationSizeMb?: number;
  /** V8 young-generation cap in MB (a thread only): a worker making much short-lived garbage collects it sooner. */
  maxYoungGenerationSizeMb?: number;
  /** Run as a child process instead of a thread. */
  process?: boolean;
  onMessage(message: Out): void;
  onSpawn?(post: (message: In) => void): void;
  /** An exit nobody asked for (a crash, an error thrown at the top level); a restart follows. */
  onCrash?(code: number | null): void;
}): SupervisedWorker<In> {
  let current: WorkerLike | null = null;
  let stopped = false;
  let idle: NodeJS.Timeout | undefined;

  const stopOne = (w: WorkerLike): Promise<void> =>
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

  const spawn = (): WorkerLike => {
    const w: WorkerLike = o.process
      ? forkWorker(o.file, o.workerData, o.env ?? process.env, o.maxOldGenerationSizeMb)
      : new Worker(o.file, {
          workerData: o.workerData,
          ...(o.env ? { env: o.env } : {}),
          ...(o.maxOldGenerationSizeMb || o.maxYoungGenerationSizeMb
            ? {
                resourceLimits: {
                  ...(o.maxOldGenerationSizeMb ? { maxOldGenerationSizeMb: o.maxOldGenerationSizeMb } : {}),
                  ...(o.maxYoungGenerationSizeMb
                    ? { maxYoungGenerationSizeMb: o.maxYoungGenerationSizeMb }
                    : {}),
                },
              }
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
      o.onCrash?.(code);
      setTimeout(() => !stopped && !current && spawn(), 1000).unref();
    });
    o.onSpawn?.((m) => w.postMessage(m));
    touch();
    return w;
  };

  if (o.idleMs === undefined) spawn();
  return {
    post(message) {
      if (stopped) return false;
      const w = current ?? (o.idleMs !== undefined ? spawn() : null);
      if (w === null) return false;
      touch();
      w.postMessage(message);
      return true;
    },
    async recycle() {
      const old = current;
      current = null;
      if (old) await stopOne(old);
      if (!stopped && o.idleMs === undefined) spawn();
    },
    async kill() {
      const old = current;
      current = null;
      if (old) await old.terminate();
      if (!stopped && !current && o.idleMs === undefined) spawn();
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
