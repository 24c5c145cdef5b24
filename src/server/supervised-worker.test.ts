// The supervisor with real worker threads: an exit nobody asked for is reported (ctm start's health turns
// degraded on it) and followed by a restart; a requested stop is neither, nor is a kill (a worker stuck in a
// loop, ended at once and replaced). A message no worker can take is refused, not lost.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import { superviseWorker } from './supervised-worker.ts';

const dir = mkdtempSync(join(tmpdir(), 'ctm-supervised-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function workerFile(name: string, source: string): URL {
  const file = join(dir, name);
  writeFileSync(file, source);
  return pathToFileURL(file);
}

describe('superviseWorker', () => {
  it('reports a crash with its exit code, then restarts the worker', async () => {
    const file = workerFile(
      'crash-once.mjs',
      `import { parentPort } from 'node:worker_threads';
       import { existsSync, writeFileSync } from 'node:fs';
       const mark = ${JSON.stringify(join(dir, 'crashed'))};
       if (!existsSync(mark)) { writeFileSync(mark, ''); process.exit(3); }
       parentPort.postMessage('up');
       parentPort.on('message', (m) => m.type === 'stop' && parentPort.close());`,
    );
    const crashes: (number | null)[] = [];
    let up!: () => void;
    const restarted = new Promise<void>((resolve) => (up = resolve));
    const w = superviseWorker<{ type: 'stop' }, string>({
      name: 'test',
      file,
      workerData: null,
      log: silentLogger,
      graceMs: 1000,
      onMessage: (m) => m === 'up' && up(),
      onCrash: (code) => crashes.push(code),
    });
    await restarted;
    expect(crashes).toEqual([3]);
    await w.stop();
    expect(crashes).toEqual([3]);
  });

  it('refuses a message posted while the worker restarts (false), takes it once it is back, refuses after stop', async () => {
    const mark = join(dir, 'crashed-post');
    const file = workerFile(
      'crash-once-post.mjs',
      `import { parentPort } from 'node:worker_threads';
       import { existsSync, writeFileSync } from 'node:fs';
       if (!existsSync(${JSON.stringify(mark)})) { writeFileSync(${JSON.stringify(mark)}, ''); process.exit(3); }
       parentPort.postMessage('up');
       parentPort.on('message', (m) => (m.type === 'stop' ? parentPort.close() : parentPort.postMessage(m.type)));`,
    );
    const posted: boolean[] = [];
    let up!: () => void;
    const restarted = new Promise<void>((resolve) => (up = resolve));
    let echoed!: (type: string) => void;
    const echo = new Promise<string>((resolve) => (echoed = resolve));
    const w = superviseWorker<{ type: 'stop' | 'ping' }, string>({
      name: 'test',
      file,
      workerData: null,
      log: silentLogger,
      graceMs: 1000,
      onMessage: (m) => (m === 'up' ? up() : echoed(m)),
      onCrash: () => posted.push(w.post({ type: 'ping' })),
    });
    await restarted;
    expect(posted).toEqual([false]);
    expect(w.post({ type: 'ping' })).toBe(true);
    expect(await echo).toBe('ping');
    await w.stop();
    expect(w.post({ type: 'ping' })).toBe(false);
  });

  it('kills a worker stuck in a loop at once, without calling it a crash, and starts another', async () => {
    const file = workerFile(
      'loops.mjs',
      `import { parentPort } from 'node:worker_threads';
       parentPort.postMessage('up');
       parentPort.on('message', (m) => {
         if (m.type === 'loop') for (;;);
         if (m.type === 'stop') parentPort.close();
         else parentPort.postMessage(m.type);
       });`,
    );
    const crashes: (number | null)[] = [];
    const seen: string[] = [];
    let wake = (): void => {};
    const next = () => new Promise<void>((resolve) => (wake = resolve));
    const w = superviseWorker<{ type: 'stop' | 'loop' | 'ping' }, string>({
      name: 'test',
      file,
      workerData: null,
      log: silentLogger,
      graceMs: 60_000,
      onMessage: (m) => {
        seen.push(m);
        wake();
      },
      onCrash: (code) => crashes.push(code),
    });
    let arrived = next();
    await arrived;
    expect(w.post({ type: 'loop' })).toBe(true);
    arrived = next();
    const killed = w.kill();
    expect(w.running).toBe(false);
    expect(w.post({ type: 'ping' })).toBe(false);
    await killed;
    await arrived;
    arrived = next();
    expect(w.post({ type: 'ping' })).toBe(true);
    await arrived;
    expect(seen).toEqual(['up', 'up', 'ping']);
    expect(crashes).toEqual([]);
    await w.stop();
  }, 20_000);
});
