// The container test's setup and teardown: the stand-in base images, the ctm image built from
// docker/Dockerfile, a fixture Claude dir with known totals, and the compose stack brought up from
// docker-compose.yml on a free loopback port, timed until healthy. stop() takes everything down again.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assistantLine } from '../fixtures/fixture-lines.ts';
import { fixtureTree, type FixtureTree } from '../fixtures/fixture-tree.ts';
import { freePort } from '../../src/stack/free-port.ts';
import { composeClient, type ComposeClient } from './compose-client.ts';
import { debianBase } from './debian-base.ts';
import { startEngine, type Engine } from './engine.ts';
import { startHealthTimer, type HealthTimer } from './health-timer.ts';
import { buildStandIns, type StandIns } from './stand-in-images.ts';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const IMAGE = 'localhost/ctm:local';
const DAY_MS = 86_400_000;
const MODEL = 'claude-sonnet-4-5-20250929';

/** 2 projects × 2 sessions × 10 requests of Sonnet 4.5, 1,000 input + 500 output tokens each. */
export const FIXTURE = {
  messages: 40,
  totalTokens: 60_000,
  // $3/M input + $15/M output: 40 × (0.003 + 0.0075)
  cost: '$0.42',
  projects: [
    { dir: '-home-me-alpha', cwd: '/home/me/alpha', name: 'alpha' },
    { dir: '-home-me-beta', cwd: '/home/me/beta', name: 'beta' },
  ],
} as const;

export interface Timings {
  /** Seconds: the stand-ins (0 when cached), the ctm image build, `up` until every service is healthy. */
  standInsS: number;
  imageBuildS: number;
  appHealthyS: number;
  stackHealthyS: number;
}

export interface ComposeStack {
  engine: Engine;
  compose: ComposeClient;
  standIns: StandIns;
  tree: FixtureTree;
  /** The published port's base URL (nginx). */
  url: string;
  /** The settings compose runs with: the fixture Claude dir and the port. */
  settings: Record<string, string>;
  firstDay: string;
  timings: Timings;
  log: string[];
  /** Container id of a compose service's (only) container. */
  container(service: string): string;
  health(container: string): string;
  waitHealthy(containers: string[], timeoutMs: number): Promise<number>;
  /** Appends one request stamped now to a fixture transcript; returns the file's path. */
  appendRequest(id: string, input: number, output: number): string;
  stop(): Promise<void>;
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function writeFixture(tree: FixtureTree, now: number): string {
  FIXTURE.projects.forEach((project, p) => {
    for (let s = 0; s < 2; s++) {
      const sessionId = `${project.name}-session-${s}`;
      const base = Date.parse(`${day(now - (4 - p) * DAY_MS)}T09:00:00Z`) + s * 3_600_000;
      const lines = Array.from({ length: 10 }, (_, i) =>
        assistantLine({
          id: `msg_${project.name}_${s}_${i}`,
          timestamp: new Date(base + i * 60_000).toISOString(),
          model: MODEL,
          sessionId,
          cwd: project.cwd,
          input: 1000,
          output: 500,
        }),
      );
      tree.write(`${project.dir}/${sessionId}.jsonl`, lines);
    }
  });
  return day(now - 4 * DAY_MS);
}

/** The CA bundle handed to the image build as a secret (the egress proxy's CA is in the host's store). */
function buildCa(): string {
  return process.env.CTM_BUILD_CA ?? '/etc/ssl/certs/ca-certificates.crt';
}

export function buildImage(engine: Engine, log: (line: string) => void): number {
  const started = Date.now();
  engine.podman(
    [
      'build',
      '--pull=never',
      // The docker format keeps the Dockerfile's HEALTHCHECK, which the OCI format has no field for.
      '--format',
      'docker',
      '--secret',
      `id=build_ca,src=${buildCa()}`,
      '-f',
      join(repoRoot, 'docker', 'Dockerfile'),
      '-t',
      IMAGE,
      repoRoot,
    ],
    { timeoutMs: 600_000 },
  );
  const s = seconds(Date.now() - started);
  log(`ctm image built in ${s} s`);
  return s;
}

export async function startComposeStack(stateDir: string): Promise<ComposeStack> {
  const log: string[] = [];
  const note = (line: string) => {
    log.push(line);
    console.log(`[container] ${line}`);
  };
  const engine = await startEngine(stateDir);
  const work = mkdtempSync(join(tmpdir(), 'ctm-container-'));
  let timer: HealthTimer | undefined;
  let compose: ComposeClient | undefined;
  let settings: Record<string, string> = {};

  const stop = async () => {
    if (compose) {
      const down = await compose.run(['down', '-v', '--remove-orphans', '-t', '10'], settings, {
        allowFailure: true,
      });
      if (down.status !== 0) note(`compose down failed: ${down.stderr}`);
    }
    await timer?.stop();
    await engine.stop();
    // Images are the cache of the next run; only dangling ones a day old go.
    engine.podman(['image', 'prune', '-f', '--filter', 'until=24h'], { allowFailure: true });
    rmSync(work, { recursive: true, force: true });
  };

  try {
    let started = Date.now();
    const base = debianBase(engine, note);
    const standIns = buildStandIns(engine, base, note);
    const standInsS = seconds(Date.now() - started);
    const imageBuildS = buildImage(engine, note);

    // The Claude dir is mounted read-only for uid 1000: the tree must be readable by others.
    chmodSync(work, 0o755);
    const tree = fixtureTree(work);
    const now = Date.now();
    const firstDay = writeFixture(tree, now);
    const port = await freePort();
    settings = { CLAUDE_DIR: tree.claudeDir, CTM_PORT: String(port) };
    compose = composeClient(engine, repoRoot, work);
    timer = startHealthTimer(engine);

    const client = compose;
    const container = (service: string) => {
      const r = engine.podman([
        'ps',
        '-q',
        '--no-trunc',
        '--filter',
        `label=com.docker.compose.project=${client.project}`,
        '--filter',
        `label=com.docker.compose.service=${service}`,
      ]);
      const ids = r.stdout.split('\n').filter(Boolean);
      if (ids.length !== 1) throw new Error(`compose service ${service}: ${ids.length} running containers`);
      return ids[0]!;
    };
    const health = (id: string) =>
      engine.podman(['inspect', '--format', '{{.State.Health.Status}}', id]).stdout.trim();
    const waitHealthy = async (ids: string[], timeoutMs: number) => {
      const from = Date.now();
      while (Date.now() - from < timeoutMs) {
        if (ids.every((id) => health(id) === 'healthy')) return seconds(Date.now() - from);
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(
        `not healthy within ${timeoutMs} ms: ${ids.map((id) => `${id.slice(0, 12)} ${health(id)}`).join(', ')}`,
      );
    };

    // Whatever a run killed before its teardown left of the project goes first.
    await client.run(['down', '-v', '--remove-orphans', '-t', '5'], settings, { allowFailure: true });
    started = Date.now();
    // `up` itself waits for app to be healthy before it creates nginx (depends_on: condition: service_healthy).
    await client.run(['up', '-d', '--no-build'], settings);
    const [app, nginx] = [container('app'), container('nginx')];
    await waitHealthy([app, nginx], 180_000);
    // When each turned healthy, from its health log: the end of its first passing check.
    const appHealthyS = seconds(healthyAt(engine, app) - started);
    const stackHealthyS = seconds(healthyAt(engine, nginx) - started);
    note(`compose up: app healthy after ${appHealthyS} s, app and nginx after ${stackHealthyS} s`);

    return {
      engine,
      compose: client,
      standIns,
      tree,
      url: `http://127.0.0.1:${port}`,
      settings,
      firstDay,
      timings: { standInsS, imageBuildS, appHealthyS, stackHealthyS },
      log,
      container,
      health,
      waitHealthy,
      appendRequest(id, input, output) {
        return tree.append(`${FIXTURE.projects[0].dir}/${FIXTURE.projects[0].name}-session-0.jsonl`, [
          assistantLine({
            id,
            timestamp: new Date().toISOString(),
            model: MODEL,
            sessionId: `${FIXTURE.projects[0].name}-session-0`,
            cwd: FIXTURE.projects[0].cwd,
            input,
            output,
          }),
        ]);
      },
      stop,
    };
  } catch (error) {
    if (compose) {
      const logs = await compose.run(['logs', '--no-color', '--tail', '60'], settings, {
        allowFailure: true,
      });
      console.error(logs.stdout.slice(-8000));
    }
    await stop();
    throw error;
  }
}

/** Podman's timestamps have nanoseconds; Date.parse takes milliseconds. */
export function parseTime(text: string): number {
  return Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
}

/** When a container's first passing healthcheck since its (last) start ended, in ms since the epoch. */
export function healthyAt(engine: Engine, id: string): number {
  const state = (
    JSON.parse(engine.podman(['inspect', id]).stdout) as {
      State: { StartedAt: string; Health: { Log: { End: string; ExitCode: number }[] } };
    }[]
  )[0]!.State;
  const since = parseTime(state.StartedAt);
  const pass = state.Health.Log.map((entry) => ({ end: parseTime(entry.End), ok: entry.ExitCode === 0 }))
    .filter((entry) => entry.ok && entry.end >= since)
    .sort((a, b) => a.end - b.end)[0];
  if (!pass) throw new Error(`${id.slice(0, 12)}: no passing healthcheck in its log`);
  return pass.end;
}

/** The processes on this machine that belong to a podman world (conmon, the API service, containers). */
export function engineProcesses(engine: Engine): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes(engine.stateDir) || line.includes(engine.runDir))
    .filter((line) => !line.includes(' ps -eo '));
}
