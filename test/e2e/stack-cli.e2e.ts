// `npm run stack` as a user runs it: both processes come up behind one port, SIGTERM stops both and exits 0,
// and a missing nginx is one clear line with exit code 2.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { assistantLine } from '../fixtures/fixture-lines.ts';
import { fixtureTree } from '../fixtures/fixture-tree.ts';
import { freePort } from '../../src/stack/free-port.ts';
import { repoRoot, waitFor } from './stack-harness.ts';

const tree = fixtureTree();
chmodSync(tree.root, 0o755); // nginx's workers (an unprivileged user when run as root) must enter the data dir
tree.write('-home-me-repo/s1.jsonl', [
  assistantLine({ id: 'msg_1', timestamp: new Date(Date.now() - 60_000).toISOString() }),
]);
afterAll(() => tree.remove());

const stackScript = join(repoRoot, 'bin', 'stack.ts');

describe('npm run stack', () => {
  it('serves through nginx and stops both processes on SIGTERM', async () => {
    const port = await freePort();
    const appPort = await freePort();
    const child = spawn(process.execPath, [stackScript], {
      cwd: repoRoot,
      env: {
        ...process.env,
        CTM_CLAUDE_DIR: tree.claudeDir,
        CTM_DATA_DIR: join(tree.root, 'data'),
        CTM_PORT: String(port),
        CTM_STACK_APP_PORT: String(appPort),
        CTM_REBUILD_CRON: 'off',
        CTM_SNAPSHOT_CRON: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      // Health through nginx, once the first ingest pass has indexed the fixture's one message.
      await waitFor('health through nginx', 30_000, async () => {
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
        if (res.status !== 200) return undefined;
        return ((await res.json()) as { db: { messages: number } }).db.messages === 1 ? true : undefined;
      });
      expect(stderr).toContain(`ctm stack: http://127.0.0.1:${port}/`);
      // Before the first build lands nginx has no index.html: the app's status page answers instead of a 404.
      const home = await fetch(`http://127.0.0.1:${port}/`);
      const body = await home.text();
      if (home.status === 503) expect(body).toContain('Building your reports');
      else expect([home.status, body.includes('Overview')]).toEqual([200, true]);
      const started = Date.now();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(15_000);
      for (const p of [port, appPort]) {
        await expect(fetch(`http://127.0.0.1:${p}/api/v1/health`)).rejects.toThrow();
      }
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('names CTM_NGINX_BIN and exits 2 when nginx is missing', () => {
    const r = spawnSync(process.execPath, [stackScript], {
      cwd: repoRoot,
      env: { ...process.env, CTM_NGINX_BIN: '/nonexistent/nginx', CTM_DATA_DIR: join(tree.root, 'data2') },
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('ctm stack: CTM_NGINX_BIN: /nonexistent/nginx is not an executable nginx');
  });
});
