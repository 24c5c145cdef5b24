// End-to-end harness: a fixture Claude dir with known totals, the native stack (`ctm start` behind the repo's
// nginx config, both on random loopback ports) and Debian's chromium through playwright-core. Nothing is
// stubbed: the tests see exactly what a browser behind nginx sees.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { assistantLine } from '../fixtures/fixture-lines.ts';
import { fixtureTree, type FixtureTree } from '../fixtures/fixture-tree.ts';
import { findNginx } from '../../src/stack/find-nginx.ts';
import { freePort } from '../../src/stack/free-port.ts';
import { nginxArgs, writeNginxConfig } from '../../src/stack/nginx-config.ts';
import { startStack, type Stack } from '../../src/stack/start-stack.ts';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const DAY_MS = 86_400_000;
/** Fixture: 2 projects × 2 sessions × 10 requests of Sonnet 4.5, 1,000 input + 500 output tokens each. */
export const FIXTURE = {
  messages: 40,
  inputTokens: 40_000,
  outputTokens: 20_000,
  totalTokens: 60_000,
  // $3/M input + $15/M output: 40 × (0.003 + 0.0075)
  cost: '$0.42',
  projects: [
    { dir: '-home-me-alpha', cwd: '/home/me/alpha', name: 'alpha' },
    { dir: '-home-me-beta', cwd: '/home/me/beta', name: 'beta' },
  ],
} as const;

export interface Harness {
  url: string;
  stack: Stack;
  tree: FixtureTree;
  dataDir: string;
  env: Record<string, string | undefined>;
  /** Day (UTC, YYYY-MM-DD) holding the first project's sessions. */
  firstDay: string;
  sessionIds: string[];
  output: string[];
  browser: Browser;
  /** Appends one Sonnet 4.5 request stamped now to a fixture transcript. */
  appendRequest(id: string, input: number, output: number): void;
  /** Runs the ctm CLI (Node 24) against the harness's data dir. */
  ctm(args: string[]): string;
  /** A second nginx on the same app with its own /metrics allow list; returns its base URL. */
  extraNginx(metricsAllow: string): Promise<string>;
  stop(): Promise<void>;
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export async function startHarness(): Promise<Harness> {
  const root = mkdtempSync(join(tmpdir(), 'ctm-e2e-'));
  // Run as root, the stack's nginx workers are an unprivileged user: they must be able to enter the data dir.
  chmodSync(root, 0o755);
  const tree = fixtureTree(root);
  const now = Date.now();
  const firstDay = day(now - 4 * DAY_MS);
  const sessionIds: string[] = [];
  FIXTURE.projects.forEach((project, p) => {
    for (let s = 0; s < 2; s++) {
      const sessionId = `${project.name}-session-${s}`;
      sessionIds.push(sessionId);
      const base = Date.parse(`${day(now - (4 - p) * DAY_MS)}T09:00:00Z`) + s * 3_600_000;
      const lines = Array.from({ length: 10 }, (_, i) =>
        assistantLine({
          id: `msg_${project.name}_${s}_${i}`,
          timestamp: new Date(base + i * 60_000).toISOString(),
          model: 'claude-sonnet-4-5-20250929',
          sessionId,
          cwd: project.cwd,
          input: 1000,
          output: 500,
        }),
      );
      tree.write(`${project.dir}/${sessionId}.jsonl`, lines);
    }
  });

  const dataDir = join(root, 'data');
  const env: Record<string, string | undefined> = {
    ...process.env,
    CTM_CLAUDE_DIR: tree.claudeDir,
    CTM_DATA_DIR: dataDir,
    CTM_TZ: 'UTC',
    CTM_LOG_LEVEL: 'info',
    CTM_REBUILD_CRON: 'off',
    CTM_SNAPSHOT_CRON: 'off',
  };
  const output: string[] = [];
  const nginx = findNginx(process.env.CTM_NGINX_BIN, process.env.PATH);
  const port = await freePort();
  const stack = await startStack({
    repoRoot,
    env,
    nginx,
    host: '127.0.0.1',
    port,
    onOutput: (source, line) => output.push(`[${source}] ${line}`),
  });
  const extras: ChildProcess[] = [];
  const extraDirs: string[] = [];
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close().catch(() => {});
    for (const child of extras) child.kill('SIGTERM');
    await stack.stop();
    for (const dir of [...extraDirs, root]) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const url = stack.url;
    // Ready once nginx serves the first published build.
    await waitFor('the first build behind nginx', 150_000, async () => {
      const died = await Promise.race([stack.exited, new Promise<undefined>((r) => setTimeout(r, 0))]);
      if (died) throw new Error(`${died.source} exited (${died.signal ?? died.code})`);
      const res = await fetch(`${url}/`);
      return res.status === 200 && (await res.text()).includes('Overview') ? true : undefined;
    }).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${output.slice(-30).join('\n')}`);
    });
    browser = await chromium.launch({
      executablePath: process.env.CTM_CHROMIUM || '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const launched = browser;
    return {
      url,
      stack,
      tree,
      dataDir,
      env,
      firstDay,
      sessionIds,
      output,
      browser: launched,
      appendRequest(id, input, out) {
        tree.append(`${FIXTURE.projects[0].dir}/${sessionIds[0]}.jsonl`, [
          assistantLine({
            id,
            timestamp: new Date().toISOString(),
            model: 'claude-sonnet-4-5-20250929',
            sessionId: sessionIds[0]!,
            cwd: FIXTURE.projects[0].cwd,
            input,
            output: out,
          }),
        ]);
      },
      ctm(args) {
        return execFileSync(process.execPath, [join(repoRoot, 'bin', 'ctm.js'), ...args], {
          cwd: repoRoot,
          env,
          encoding: 'utf8',
        });
      },
      async extraNginx(metricsAllow) {
        const runDir = mkdtempSync(join(tmpdir(), 'ctm-e2e-nginx-'));
        extraDirs.push(runDir);
        const extraPort = await freePort();
        writeNginxConfig({
          repoRoot,
          runDir,
          nginx,
          listen: `127.0.0.1:${extraPort}`,
          siteRoot: join(dataDir, 'site', 'current'),
          archiveRoot: join(dataDir, 'archive'),
          upstream: stack.appUrl.replace('http://', ''),
          metricsAllow,
        });
        const child = spawn(nginx.bin, nginxArgs(runDir), { stdio: 'ignore' });
        extras.push(child);
        const extraUrl = `http://127.0.0.1:${extraPort}`;
        await waitFor('the second nginx', 10_000, async () =>
          (await fetch(`${extraUrl}/_nginx/health`)).ok ? true : undefined,
        );
        return extraUrl;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Sends a request line exactly as given (fetch and browsers normalise `..` away before sending) and returns
 * the status code and body.
 */
export function rawGet(baseUrl: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`);
    });
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? 0);
      resolve({ status, body: data.slice(data.indexOf('\r\n\r\n') + 4) });
    });
  });
}
