// Runs the real `ctm` entry point (bin/ctm.js) as a child process on the Node 24 from devDependencies, with
// a clean environment (a fake HOME, no inherited CTM_* settings), for CLI tests.
import { spawnSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const node24 = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));
export const ctmBin = fileURLToPath(new URL('../../bin/ctm.js', import.meta.url));

export interface CtmResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, TZ: 'UTC', CTM_LOG_LEVEL: 'warn', ...env };
}

export function runCtm(args: string[], env: Record<string, string>, nodeBinary = node24): CtmResult {
  const r = spawnSync(nodeBinary, [ctmBin, ...args], { env: cleanEnv(env), encoding: 'utf8', cwd: repoRoot });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function spawnCtm(args: string[], env: Record<string, string>, uid?: number): ChildProcess {
  return spawn(node24, [ctmBin, ...args], {
    env: cleanEnv(env),
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(uid !== undefined ? { uid, gid: uid } : {}),
  });
}
