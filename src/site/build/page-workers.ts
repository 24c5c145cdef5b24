// The render processes of `ctm build`, one per core: forked before Astro starts compiling, each gets every
// n-th page of the build's list (so each has its share of every kind) and loads their data at once; told
// where the built bundle is, each renders its pages into the staging release (page-worker.ts). The build
// fails, with the process's own error, if any of them fails or stops without finishing.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../config.ts';
import { childEnv } from '../../config-channel.ts';
import type { Page } from '../pages.ts';

export type ToPageWorker = { type: 'pages'; pages: Page[] } | { type: 'render'; entry: string; root: string };

export type FromPageWorker =
  | {
      type: 'done';
      written: number;
      missing: number;
      /** Pages whose data was loaded before the bundle was there. */
      preloaded: number;
      /** Epoch ms: the process started, stopped loading ahead, was told to render, wrote its last page. */
      startedAt: number;
      loadedAt: number;
      renderAt: number;
      finishedAt: number;
    }
  /** The pages written so far, a few times a second while rendering. */
  | { type: 'progress'; written: number }
  | { type: 'failed'; message: string };

export type WorkerFigures = Omit<Extract<FromPageWorker, { type: 'done' }>, 'type'>;

const ENTRY = fileURLToPath(new URL('./page-worker.ts', import.meta.url));
// Rendering allocates fast and V8 grows its heap into what is free rather than collect: uncapped, each process
// of a hub's 40,452-page build grew to 1 GB, nearly all garbage (capped at 400 MB it rendered the same pages at
// 620 MB). The cap bounds the build's memory; what a process keeps (its snapshot's session list, one page's
// data) stays far below it.
export const RENDER_HEAP_MB = 512;

export interface PageWorkers {
  /** Renders every page with the bundle at `entry` into `root`; the figures of each process. `onProgress`
   * hears the pages written so far by all of them. */
  render(entry: string, root: string, onProgress?: (written: number) => void): Promise<WorkerFigures[]>;
  /** Stops every process (a build that failed before rendering). */
  stop(): Promise<void>;
}

export function startPageWorkers(
  count: number,
  config: Config,
): PageWorkers & {
  /** Hands out the pages (as soon as the list is known; the processes start meanwhile). */
  assign(pages: Page[]): void;
} {
  const env = childEnv(config, process.env);
  const written = new Array<number>(count).fill(0);
  let onProgress: ((written: number) => void) | undefined;
  const children: ChildProcess[] = Array.from({ length: count }, () =>
    fork(ENTRY, [], {
      env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
      execArgv: [...process.execArgv, `--max-old-space-size=${RENDER_HEAP_MB}`],
    }),
  );
  // Each child's outcome, settled once: its figures, or why it failed.
  const results = children.map(
    (child, i) =>
      new Promise<WorkerFigures>((resolve, reject) => {
        // Every message it sent has arrived once its channel is closed: only then is no result final.
        let exit: string | undefined;
        let disconnected = false;
        const stopped = () => reject(new Error(`render process ${i + 1} stopped (${exit}) without a result`));
        child.on('message', (m: FromPageWorker) => {
          if (m.type === 'progress') {
            written[i] = m.written;
            onProgress?.(written.reduce((a, b) => a + b, 0));
          } else if (m.type === 'done') {
            const { type: _, ...figures } = m;
            resolve(figures);
          } else reject(new Error(`render process ${i + 1} failed: ${m.message}`));
        });
        child.once('disconnect', () => {
          disconnected = true;
          if (exit) stopped();
        });
        child.once('exit', (code, signal) => {
          exit = signal ?? `exit code ${code}`;
          if (disconnected || !child.connected) stopped();
        });
        child.once('error', reject);
      }),
  );
  for (const r of results) r.catch(() => undefined); // observed by render(); a failure before is not unhandled
  const gone = children.map((child) =>
    child.exitCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve())),
  );
  const stop = async () => {
    for (const child of children) child.kill();
    await Promise.all(gone);
  };
  const send = (i: number, message: ToPageWorker) => {
    if (children[i]!.connected) children[i]!.send(message);
  };
  return {
    assign(pages) {
      children.forEach((_, i) => send(i, { type: 'pages', pages: pages.filter((_, n) => n % count === i) }));
    },
    async render(entry, root, progress) {
      onProgress = progress;
      children.forEach((_, i) => send(i, { type: 'render', entry, root }));
      try {
        return await Promise.all(results);
      } catch (error) {
        await stop();
        throw error;
      } finally {
        await Promise.all(gone);
      }
    },
    stop,
  };
}
