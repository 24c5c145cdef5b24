// The container engine of the container test: rootful Podman with Debian's runc, in a world of its own (its
// storage, networks and run dir under one state dir, kept between runs as the image cache), plus Podman's
// Docker-compatible API socket for the compose client. Nothing here touches the machine's other containers.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Engine {
  stateDir: string;
  /** The run dir (runroot, API socket, lock) of this state dir, under /run. */
  runDir: string;
  /** Where downloaded and built inputs are kept between runs (rootfs tarball, npm and Debian packages). */
  cacheDir: string;
  /** The environment every podman (and compose) process of the test runs with. */
  env: Record<string, string>;
  /** unix:// address of the Docker-compatible API. */
  dockerHost: string;
  podman(args: string[], o?: { input?: string; allowFailure?: boolean; timeoutMs?: number }): RunResult;
  /** The same without blocking the test's event loop; never throws, the caller reads the status. */
  podmanAsync(args: string[]): Promise<RunResult>;
  stop(): Promise<void>;
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

// Without systemd podman cannot arm its healthcheck timers and says so on every container start; the test
// runs the healthchecks itself (health-timer.ts), so that line is noise.
const SYSTEMD_NOISE = /^.*unable to get systemd connection.*\n?/gm;

function writeConfig(stateDir: string, runDir: string): Record<string, string> {
  const containersConf = join(stateDir, 'containers.conf');
  const storageConf = join(stateDir, 'storage.conf');
  // crun fails on setrlimit on these machines and default ulimits are what it trips on: runc, no ulimits.
  writeFileSync(
    containersConf,
    [
      '[containers]',
      'default_ulimits = []',
      '[engine]',
      'runtime = "runc"',
      `tmp_dir = "${join(runDir, 'libpod')}"`,
      '[network]',
      `network_config_dir = "${join(stateDir, 'networks')}"`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    storageConf,
    [
      '[storage]',
      'driver = "overlay"',
      `graphroot = "${join(stateDir, 'storage')}"`,
      `runroot = "${join(runDir, 'storage')}"`,
      '',
    ].join('\n'),
  );
  return {
    PATH: process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: process.env.HOME ?? '/root',
    CONTAINERS_CONF: containersConf,
    CONTAINERS_STORAGE_CONF: storageConf,
  };
}

function run(env: Record<string, string>) {
  return (args: string[], o: { input?: string; allowFailure?: boolean; timeoutMs?: number } = {}) => {
    const r = spawnSync('podman', args, {
      env,
      encoding: 'utf8',
      input: o.input,
      timeout: o.timeoutMs ?? 300_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const result = {
      status: r.status ?? -1,
      stdout: r.stdout ?? '',
      stderr: (r.stderr ?? '').replace(SYSTEMD_NOISE, ''),
    };
    if (result.status !== 0 && !o.allowFailure) {
      throw new Error(
        `podman ${args.join(' ')} exited ${result.status}${r.error ? ` (${r.error.message})` : ''}\n${result.stderr}`,
      );
    }
    return result;
  };
}

function runAsync(env: Record<string, string>) {
  return (args: string[]) =>
    new Promise<RunResult>((resolve) => {
      execFile(
        'podman',
        args,
        { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const status = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          resolve({ status, stdout, stderr: stderr.replace(SYSTEMD_NOISE, '') });
        },
      );
    });
}

/** One test run per state dir at a time: the project name and the images are shared. */
function takeLock(path: string): void {
  try {
    writeFileSync(path, String(process.pid), { flag: 'wx' });
    return;
  } catch {
    const holder = Number(readFileSync(path, 'utf8'));
    let alive = false;
    try {
      process.kill(holder, 0);
      alive = holder !== process.pid;
    } catch {
      // the holder is gone: its lock is stale
    }
    if (alive) throw new Error(`another container test (pid ${holder}) is using this state dir`);
    writeFileSync(path, String(process.pid));
  }
}

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

async function waitForSocket(path: string, service: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (existsSync(path)) return;
    if (!running(service)) throw new Error(`podman system service exited ${service.exitCode}\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`podman system service did not open ${path} within 20 s\n${log()}`);
}

/** Sets up the test's podman world and starts the API service. */
export async function startEngine(stateDir: string): Promise<Engine> {
  if (process.getuid?.() !== 0) throw new Error('the container test runs rootful podman: run it as root');
  for (const tool of ['podman', 'runc', 'docker-compose']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
      throw new Error(`${tool} not found: apt-get install podman runc netavark aardvark-dns docker-compose`);
    }
  }
  const runDir = join(
    '/run',
    `ctm-container-test-${createHash('sha256').update(stateDir).digest('hex').slice(0, 8)}`,
  );
  const cacheDir = join(stateDir, 'cache');
  for (const dir of [stateDir, cacheDir, runDir]) mkdirSync(dir, { recursive: true });
  takeLock(join(runDir, 'lock'));
  const env = writeConfig(stateDir, runDir);
  const podman = run(env);

  // A service left by a run that was killed before its teardown is ours: end it by the pid it recorded.
  const pidFile = join(runDir, 'service.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8'));
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
    rmSync(pidFile, { force: true });
  }
  const socket = join(runDir, 'podman.sock');
  rmSync(socket, { force: true });
  let serviceLog = '';
  const service = spawn('podman', ['system', 'service', '--time=0', `unix://${socket}`], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    serviceLog = (serviceLog + chunk.toString().replace(SYSTEMD_NOISE, '')).slice(-20_000);
  };
  service.stdout.on('data', keep);
  service.stderr.on('data', keep);
  writeFileSync(pidFile, String(service.pid));
  await waitForSocket(socket, service, () => serviceLog);

  return {
    stateDir,
    runDir,
    cacheDir,
    env,
    dockerHost: `unix://${socket}`,
    podman,
    podmanAsync: runAsync(env),
    async stop() {
      if (running(service)) {
        const exited = new Promise((r) => service.once('exit', r));
        service.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (running(service)) service.kill('SIGKILL');
      }
      rmSync(pidFile, { force: true });
      rmSync(join(runDir, 'lock'), { force: true });
    },
  };
}
