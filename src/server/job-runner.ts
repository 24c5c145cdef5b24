// Runs the site jobs (build, snapshot) one at a time in child processes. A request for a job that is already
// queued or running joins it instead of stacking another. The child gets the parent's config whole, CLI flags
// included, through the config channel (config-channel.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.ts';
import { childEnv } from '../config-channel.ts';
import type { Logger } from '../log.ts';

export type Job = 'build' | 'snapshot';
export interface JobResult {
  job: Job;
  ok: boolean;
  ms: number;
  startedAt: number;
  /** How the child ended: its exit code, or the signal that stopped it. */
  exit?: number | string | null;
  /** Never started: the runner was stopped while it waited in the queue. */
  cancelled?: true;
}

const ENTRY = fileURLToPath(new URL('./site-job.ts', import.meta.url));
/** Set for a build that waits for a line on stdin before it reads the index (see `run`'s `gate`). */
export const BUILD_GATE = 'CTM_BUILD_GATE';

export function createJobRunner(
  config: Config,
  log: Logger,
  onStart: (job: Job) => void,
  onDone: (result: JobResult) => void,
) {
  let chain: Promise<unknown> = Promise.resolve();
  const queued = new Map<Job, Promise<JobResult>>();
  let child: ChildProcess | null = null;
  // Once stopped (the server is shutting down), a queued job must not start a build nobody will stop.
  let stopped = false;

  const exec = (job: Job, gate?: Promise<void>): Promise<JobResult> =>
    new Promise((resolve) => {
      queued.delete(job);
      const startedAt = Date.now();
      if (stopped) {
        log.debug(`${job} not started: shutting down`);
        resolve({ job, ok: false, ms: 0, startedAt, cancelled: true });
        return;
      }
      onStart(job);
      log.info(`${job} started`);
      child = spawn(process.execPath, [ENTRY, job], {
        env: { ...childEnv(config, process.env), ...(gate ? { [BUILD_GATE]: '1' } : {}) },
        stdio: [gate ? 'pipe' : 'ignore', 'inherit', 'inherit'],
        // Its own process group, so stopping it also stops the astro build it runs.
        detached: true,
      });
      const stdin = child.stdin;
      if (gate && stdin) {
        stdin.on('error', () => undefined); // the child gone first: nobody to tell
        void gate.then(() => stdin.end('go\n'));
      }
      const finish = (ok: boolean, exit: number | string | null): void => {
        child = null;
        const result = { job, ok, ms: Date.now() - startedAt, startedAt, exit };
        log[ok ? 'info' : 'error'](`${job} ${ok ? 'finished' : 'failed'}`, { ms: result.ms });
        onDone(result);
        resolve(result);
      };
      child.once('error', (error) => finish(false, error.message));
      child.once('exit', (code, signal) => finish(code === 0, code ?? signal));
    });

  return {
    /** `gate`: the job starts as usual but reads the index only once it resolves (a first build compiles
     *  while the first pass reads). */
    run(job: Job, gate?: Promise<void>): Promise<JobResult> {
      const waiting = queued.get(job);
      if (waiting) return waiting;
      const next = chain.then(() => exec(job, gate));
      queued.set(job, next);
      chain = next;
      return next;
    },
    get busy(): boolean {
      return child !== null;
    },
    /** Stops a running job (SIGTERM, then SIGKILL after the grace period) and cancels the queued ones; the
     *  published site stays. */
    async stop(graceMs = 3000): Promise<void> {
      stopped = true;
      const c = child;
      if (!c) return;
      const signalGroup = (signal: NodeJS.Signals): void => {
        try {
          process.kill(-c.pid!, signal);
        } catch {
          c.kill(signal);
        }
      };
      signalGroup('SIGTERM');
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          signalGroup('SIGKILL');
          resolve();
        }, graceMs);
        c.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
    },
  };
}
