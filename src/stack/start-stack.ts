// The native deployment topology: `ctm start` on an internal loopback port and nginx in front of it with
// the repo's config on the public port. Used by `npm run stack` and by the end-to-end tests; stop() ends
// nginx first (no new requests), then the app (which checkpoints and exits cleanly).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Env } from '../config.ts';
import { freePort } from './free-port.ts';
import { nginxArgs, writeNginxConfig } from './nginx-config.ts';
import type { NginxInstall } from './find-nginx.ts';

export interface StackOptions {
  repoRoot: string;
  /** Environment of `ctm start` (CTM_DATA_DIR, CTM_CLAUDE_DIR, …); CTM_HOST/CTM_PORT are set here. */
  env: Env;
  nginx: NginxInstall;
  host: string;
  port: number;
  appPort?: number | undefined;
  metricsAllow?: string | undefined;
  /** 'inherit' for a terminal; otherwise output lines go to onOutput. */
  stdio?: 'inherit' | 'pipe';
  onOutput?: (source: 'app' | 'nginx', line: string) => void;
}

export interface Stack {
  url: string;
  appUrl: string;
  /** Resolves when either process exits on its own (not through stop()). */
  exited: Promise<{ source: 'app' | 'nginx'; code: number | null; signal: string | null }>;
  stop(): Promise<void>;
}

function forward(child: ChildProcess, source: 'app' | 'nginx', onOutput: StackOptions['onOutput']): void {
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) onOutput?.(source, line);
    });
  }
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

export async function startStack(o: StackOptions): Promise<Stack> {
  const config = loadConfig(o.env);
  const appPort = o.appPort ?? (await freePort());
  const runDir = mkdtempSync(join(tmpdir(), 'ctm-nginx-'));
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  // The names browsers use reach the app too (nginx passes Host on): both check the same list.
  const allowedHosts = [o.host, ...config.allowedHosts];
  writeNginxConfig({
    repoRoot: o.repoRoot,
    runDir,
    nginx: o.nginx,
    listen: `${host}:${o.port}`,
    siteRoot: join(config.dataDir, 'site', 'current'),
    archiveRoot: join(config.dataDir, 'archive'),
    upstream: `127.0.0.1:${appPort}`,
    metricsAllow: o.metricsAllow,
    allowedHosts,
  });
  const stdio = o.stdio === 'inherit' ? 'inherit' : 'pipe';
  const app = spawn(process.execPath, [join(o.repoRoot, 'bin', 'ctm.js'), 'start'], {
    cwd: o.repoRoot,
    env: {
      ...o.env,
      CTM_HOST: '127.0.0.1',
      CTM_PORT: String(appPort),
      CTM_ALLOWED_HOSTS: allowedHosts.join(','),
    },
    stdio: ['ignore', stdio, stdio],
  });
  const nginx = spawn(o.nginx.bin, nginxArgs(runDir), { stdio: ['ignore', stdio, stdio] });
  if (stdio === 'pipe') {
    forward(app, 'app', o.onOutput);
    forward(nginx, 'nginx', o.onOutput);
  }
  // If this process exits without stop() (a crash, process.exit), take both children with it.
  const killChildren = () => {
    app.kill('SIGKILL');
    nginx.kill('SIGKILL');
  };
  process.once('exit', killChildren);
  let stopping = false;
  const exited: Stack['exited'] = new Promise((resolve) => {
    for (const [source, child] of [
      ['app', app],
      ['nginx', nginx],
    ] as const) {
      child.once('exit', (code, signal) => {
        if (!stopping) resolve({ source, code, signal });
      });
    }
  });
  return {
    url: `http://${host}:${o.port}`,
    appUrl: `http://127.0.0.1:${appPort}`,
    exited,
    async stop() {
      stopping = true;
      process.removeListener('exit', killChildren);
      // SIGTERM is nginx's fast shutdown: a graceful SIGQUIT would wait for open event streams.
      await stopChild(nginx, 'SIGTERM', 5_000);
      await stopChild(app, 'SIGTERM', 12_000);
      rmSync(runDir, { recursive: true, force: true });
    },
  };
}
