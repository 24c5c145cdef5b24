// `docker compose up`, for real: docker/Dockerfile built with podman, docker-compose.yml brought up on a copy of
// a fixture Claude dir, and checked as a user and an operator would — through the published port (pages, health,
// live routes and the event stream through nginx, /metrics refused from outside its allow list, headers, an
// appended line reaching the API and its day page), then inside the containers (users, read-only filesystems,
// capabilities, limits, a restart keeping the index). Then the team profile: a second `up` makes app a hub
// reading the token secret, behind the tls service, checked over HTTPS with a certificate and token file made
// here (OTLP accepted and reported under the token's machine, bad tokens and plain HTTP refused) and inside
// tls as the other services. Then everything is taken down. Nothing is mocked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { join, relative } from 'node:path';
import { DEBIAN_BASE } from './debian-base.ts';
import {
  engineProcesses,
  FIXTURE,
  healthyAt,
  IMAGE,
  parseTime,
  repoRoot,
  startComposeStack,
  type ComposeStack,
} from './compose-stack.ts';
import {
  inspect as inspectContainer,
  megabytes,
  poll,
  processes,
  readStream,
  snapshot,
  statusFor,
} from './probes.ts';
import { promtool } from './promtool.ts';
import { agentRequest, https, plainHttp, teamFiles, type TeamFiles } from './team-profile.ts';
import { freePort } from '../../src/stack/free-port.ts';

const STATE_DIR = process.env.CTM_CONTAINER_STATE ?? '/var/lib/ctm-container-test';
const STANDALONE = 'ctm-image-alone';

let s: ComposeStack;
let stopped = false;
const measured: Record<string, string | number> = {};
const get = (path: string, init?: RequestInit) => fetch(`${s.url}${path}`, init);
const inspect = (container: string) => inspectContainer(s.engine, container);

let claudeBefore: Map<string, string>;

/** Every process of a service's container as `uid`, no capabilities, no new privileges; their command lines. */
function checkProcesses(service: string, uid: string): string {
  const list = processes(s.engine, s.container(service));
  expect(list.length).toBeGreaterThan(1);
  for (const p of list) {
    expect(p.uid, `${service}: ${p.cmd}`).toEqual([uid, uid, uid, uid]);
    expect(p.gid, `${service}: ${p.cmd}`).toEqual([uid, uid, uid, uid]);
    expect(p.capEff, `${service}: ${p.cmd}`).toBe('0000000000000000');
    expect(p.capBnd, `${service}: ${p.cmd}`).toBe('0000000000000000');
    expect(p.noNewPrivs, `${service}: ${p.cmd}`).toBe('1');
  }
  return list.map((p) => p.cmd).join('\n');
}

/** A read-only root filesystem (a write fails) and a writable /tmp. */
function checkReadOnly(service: string): void {
  const id = s.container(service);
  expect(inspect(id).HostConfig.ReadonlyRootfs).toBe(true);
  const probe = s.engine.podman(['exec', id, 'sh', '-c', 'touch /probe; touch /tmp/probe && echo tmp-ok'], {
    allowFailure: true,
  });
  expect(probe.stderr).toContain('Read-only file system');
  expect(probe.stdout).toContain('tmp-ok');
}

/** Memory, CPU and pids limits as the compose file sets them, unless-stopped, no-new-privileges, no cap added. */
function checkLimits(service: string): void {
  const spec = s.compose.file.services[service] as {
    deploy: { resources: { limits: { cpus: string; memory: string } } };
    pids_limit: number;
  };
  const host = inspect(s.container(service)).HostConfig;
  const bytes = (v: string) => Number(v.slice(0, -1)) * (v.endsWith('g') ? 1024 ** 3 : 1024 ** 2);
  expect(host.Memory).toBe(bytes(spec.deploy.resources.limits.memory));
  expect(host.NanoCpus).toBe(Number(spec.deploy.resources.limits.cpus) * 1e9);
  expect(host.PidsLimit).toBe(spec.pids_limit);
  expect(host.RestartPolicy.Name).toBe('unless-stopped');
  expect(host.SecurityOpt).toContain('no-new-privileges');
  expect(host.CapAdd ?? []).toEqual([]);
}

beforeAll(async () => {
  s = await startComposeStack(STATE_DIR);
  claudeBefore = snapshot(s.tree.claudeDir);
  // The image on its own, as the README runs it: its own HEALTHCHECK (compose replaces it with its own).
  s.engine.podman(['rm', '-f', STANDALONE], { allowFailure: true });
  s.engine.podman(['volume', 'rm', '-f', `${STANDALONE}-data`], { allowFailure: true });
  s.engine.podman([
    'run',
    '-d',
    '--name',
    STANDALONE,
    '--read-only',
    '--tmpfs',
    '/tmp',
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
    '-v',
    `${s.tree.claudeDir}:/claude:ro`,
    '-v',
    `${STANDALONE}-data:/app/data`,
    IMAGE,
  ]);
}, 570_000);

afterAll(async () => {
  if (s && !stopped) {
    s.engine.podman(['rm', '-f', STANDALONE], { allowFailure: true });
    s.engine.podman(['volume', 'rm', '-f', `${STANDALONE}-data`], { allowFailure: true });
    await s.stop();
  }
  if (s) {
    const t = s.timings;
    console.log(
      `[container] measured: stand-ins ${t.standInsS} s, image build ${t.imageBuildS} s, ` +
        `app healthy ${t.appHealthyS} s, stack healthy ${t.stackHealthyS} s, ` +
        Object.entries(measured)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
    );
  }
}, 120_000);

describe('the image built from docker/Dockerfile', () => {
  it('runs as uid 1000 with a HEALTHCHECK, and has no compiler and no npm', () => {
    const image = JSON.parse(s.engine.podman(['image', 'inspect', IMAGE]).stdout)[0] as {
      Size: number;
      Config: { User: string };
      Healthcheck?: { Test: string[] };
    };
    expect(image.Config.User).toBe('1000:1000');
    expect(image.Healthcheck?.Test.join(' ')).toContain('/api/v1/health');
    const base = JSON.parse(s.engine.podman(['image', 'inspect', s.standIns.node]).stdout)[0] as {
      Size: number;
    };
    measured['image MB'] = Math.round(image.Size / 1e6);
    measured['ctm layers MB'] = Math.round((image.Size - base.Size) / 1e6);
    const found = s.engine.podman([
      'run',
      '--rm',
      '--entrypoint',
      'sh',
      IMAGE,
      '-c',
      'for t in cc gcc g++ c++ make python3 npm npx yarn corepack; do command -v $t; done; true',
    ]).stdout;
    expect(found.trim()).toBe('');
  });

  it('holds no trace of the CA the build was handed as a secret', () => {
    // The egress proxy's CA: the certificates of the host's store that Node's own root store lacks.
    const bundle = readFileSync(process.env.CTM_BUILD_CA ?? '/etc/ssl/certs/ca-certificates.crt', 'utf8');
    const known = new Set(rootCertificates.map((pem) => pem.replace(/\s+/g, '')));
    const extra = (
      bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
    ).filter((pem) => !known.has(pem.replace(/\s+/g, '')));
    const mount = s.engine.podman(['image', 'mount', IMAGE]).stdout.trim();
    try {
      expect(readdirSync(join(mount, 'run')).includes('secrets')).toBe(false);
      // One full base64 line from inside each certificate identifies it in any file that holds it.
      const lines = extra
        .map((pem) => pem.split('\n').filter((l) => /^[A-Za-z0-9+/]{64}$/.test(l))[3])
        .filter(Boolean);
      const holding = execFileSync('sh', ['-c', 'grep -rlF -D skip -f - "$1" || true', 'sh', mount], {
        input: lines.join('\n') + '\n',
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
      });
      expect(holding.trim(), 'files holding a CA of the build').toBe('');
      measured['build CAs searched for'] = extra.length;
    } finally {
      s.engine.podman(['image', 'unmount', IMAGE], { allowFailure: true });
    }
  });
});

describe('through the published port (nginx)', () => {
  it('answers the health check with the fixture indexed', async () => {
    const res = await get('/api/v1/health');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: string;
      db: { ok: boolean; messages: number };
      claude_dirs: unknown[];
    };
    expect(body.status).toBe('ok');
    expect(body.db).toEqual({ ok: true, messages: FIXTURE.messages });
    expect(body.claude_dirs).toEqual([{ path: '/claude', exists: true, readable: true }]);
  });

  it('serves the overview and a day page from the published site', async () => {
    const overview = await poll('the overview', 30_000, async () => {
      const res = await get('/');
      const text = await res.text();
      return res.status === 200 && text.includes(`${FIXTURE.totalTokens.toLocaleString('en-US')} tokens`)
        ? text
        : undefined;
    });
    expect(overview).toContain(FIXTURE.cost);
    const dayPage = await get(`/days/${s.firstDay}/`);
    expect(dayPage.status).toBe(200);
    const text = await dayPage.text();
    expect(text).toContain('alpha-session-0');
    expect(text).toContain('30,000');
  });

  it('proxies /live/ and streams server-sent events unbuffered', async () => {
    const live = await get('/live/');
    expect(live.status).toBe(200);
    expect(await live.text()).toContain('<ctm-live');
    const controller = new AbortController();
    const stream = await get('/api/v1/stream', { signal: controller.signal });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    expect(await readStream(stream, /event: hello/, 2_000)).toContain('event: hello');
    controller.abort();
  });

  it('sends the security headers once each, on pages, the API and errors', async () => {
    for (const path of ['/', '/live/', '/api/v1/health', '/no-such-page/']) {
      const res = await get(path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toContain(', default-src');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('permissions-policy'), path).toContain('camera=()');
      expect(res.headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
      expect(res.headers.get('server'), path).toBe('nginx');
    }
    const missing = await get('/no-such-page/');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('<html');
  });

  it('answers 421 to a Host it is not served as', async () => {
    for (const path of ['/', '/api/v1/live']) {
      expect(await statusFor(s.url, path, 'attacker.example'), path).toBe(421);
      expect(await statusFor(s.url, path, 'localhost'), path).toBe(200);
    }
  });

  it('brings a line appended to a transcript to the event stream, /api/v1/live and its day page', async () => {
    const controller = new AbortController();
    const stream = await get('/api/v1/stream', { signal: controller.signal });
    const today = new Date().toISOString().slice(0, 10);
    const started = Date.now();
    const appended = s.appendRequest('msg_container_append', 1234, 766);
    const events = await readStream(stream, /"totalTokens":2000[,}]/, 10_000);
    measured['append → event ms'] = Date.now() - started;
    controller.abort();
    expect(events).toContain(`"day":"${today}"`);
    const live = (await (await get('/api/v1/live')).json()) as {
      today: { day: string; totalTokens: number };
    };
    expect(live.today).toMatchObject({ day: today, totalTokens: 2000 });
    const dayPage = await poll('the refreshed day page', 15_000, async () => {
      const res = await get(`/days/${today}/`);
      const text = await res.text();
      return res.status === 200 && text.includes('2,000') ? text : undefined;
    });
    measured['append → day page ms'] = Date.now() - started;
    expect(dayPage).toContain('alpha-session-0');
    await poll('the refreshed overview', 15_000, async () =>
      (await (await get('/')).text()).includes(
        `${(FIXTURE.totalTokens + 2000).toLocaleString('en-US')} tokens`,
      )
        ? true
        : undefined,
    );
    // The one file the test changed is the only change in the Claude dir the rest of the test expects.
    claudeBefore.set(
      relative(s.tree.claudeDir, appended),
      snapshot(s.tree.claudeDir).get(relative(s.tree.claudeDir, appended))!,
    );
  });
});

describe('/metrics through nginx', () => {
  it('is served to the host, an internal network by the default allow list (the engine NATs it from the gateway)', async () => {
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^ctm_info\{version="[^"]+"\} 1$/m);
  });

  it('is refused to a client outside CTM_METRICS_ALLOW, and served inside it', async () => {
    // nginx recreated with an allow list of its own loopback only: the host is now outside.
    await s.compose.run(['up', '-d', '--no-build', 'nginx'], {
      ...s.settings,
      CTM_METRICS_ALLOW: '127.0.0.1/32',
    });
    await poll('the recreated nginx', 30_000, async () =>
      (await get('/_nginx/health')).ok ? true : undefined,
    );
    const outside = await get('/metrics');
    expect(outside.status).toBe(403);
    expect(await outside.text()).not.toContain('ctm_');
    expect((await get('/api/v1/health')).status).toBe(200);
    const inside = s.engine.podman([
      'exec',
      s.container('nginx'),
      'wget',
      '-q',
      '-O',
      '-',
      'http://127.0.0.1:8080/metrics',
    ]);
    expect(inside.stdout).toMatch(/^ctm_info\{/m);
    // Back to the file's defaults for the rest.
    await s.compose.run(['up', '-d', '--no-build', 'nginx'], s.settings);
    await poll('nginx with the default allow list', 30_000, async () =>
      (await get('/metrics')).status === 200 ? true : undefined,
    );
  });
});

describe('inside the containers', () => {
  const users = { app: '1000', nginx: '101' } as const;

  it.each(Object.entries(users))(
    '%s: every process runs as uid %s with no capabilities and no new privileges',
    (service, uid) => {
      const commands = checkProcesses(service, uid);
      if (service === 'app') {
        expect(commands).toContain('/usr/bin/tini -- /app/docker/entrypoint.sh node bin/ctm.js start');
        expect(commands).toMatch(/^node bin\/ctm\.js start/m);
      } else {
        expect(commands).toContain('nginx: master process');
        expect(commands).toContain('nginx: worker process');
      }
    },
  );

  it.each(Object.keys(users))('%s: the root filesystem is read-only, /tmp a writable tmpfs', (service) =>
    checkReadOnly(service),
  );

  it('mounts the Claude dir read-only into app, which never writes to it', () => {
    const id = s.container('app');
    const claude = inspect(id).Mounts.find((m) => m.Destination === '/claude');
    expect(claude).toMatchObject({ Type: 'bind', Source: s.tree.claudeDir, RW: false });
    const probe = s.engine.podman(['exec', id, 'sh', '-c', 'touch /claude/projects/probe'], {
      allowFailure: true,
    });
    expect(probe.status).not.toBe(0);
    expect(probe.stderr).toContain('Read-only file system');
    expect(snapshot(s.tree.claudeDir)).toEqual(claudeBefore);
  });

  it('shares the data volume: written by app, read-only in nginx', () => {
    const app = inspect(s.container('app')).Mounts.find((m) => m.Destination === '/app/data');
    const nginx = inspect(s.container('nginx')).Mounts.find((m) => m.Destination === '/app/data');
    expect(app).toMatchObject({ Type: 'volume', RW: true });
    expect(nginx).toMatchObject({ Type: 'volume', RW: false, Name: app!.Name });
    expect(app!.Name).toBe(`${s.compose.project}_ctm-data`);
  });

  it.each(['app', 'nginx'])(
    '%s: has the limits, restart policy and hardening the compose file sets',
    (service) => checkLimits(service),
  );

  it('idles at a measured memory per container', async () => {
    await new Promise((r) => setTimeout(r, 5_000));
    const stats = JSON.parse(s.engine.podman(['stats', '--no-stream', '--format', 'json']).stdout) as {
      name: string;
      mem_usage: string;
    }[];
    for (const service of ['app', 'nginx']) {
      const row = stats.find((r) => r.name === `${s.compose.project}_${service}_1`);
      expect(row, service).toBeDefined();
      measured[`${service} idle MB`] = megabytes(row!.mem_usage.split('/')[0]!);
    }
    expect(measured['app idle MB']).toBeLessThan(512);
    expect(measured['nginx idle MB']).toBeLessThan(128);
  });
});

describe('restarting app', () => {
  it('keeps the index in the data volume and counts nothing twice', async () => {
    const before = (await (await get('/api/v1/health')).json()) as { db: { messages: number } };
    expect(before.db.messages).toBe(FIXTURE.messages + 1);
    const id = s.container('app');
    const startedAt = inspect(id).State.StartedAt;
    await s.compose.run(['restart', 'app'], s.settings);
    expect(s.container('app')).toBe(id);
    expect(inspect(id).State.StartedAt).not.toBe(startedAt);
    measured['restart → healthy s'] = await s.waitHealthy([id], 120_000);
    // Through nginx, which has to find the restarted app at its new address.
    const after = await poll('health through nginx after the restart', 30_000, async () => {
      const res = await get('/api/v1/health');
      return res.status === 200 ? ((await res.json()) as { db: { messages: number } }) : undefined;
    });
    expect(after.db.messages).toBe(FIXTURE.messages + 1);
    const report = JSON.parse(
      s.engine.podman(['exec', id, 'node', 'bin/ctm.js', 'report', 'daily', '--json']).stdout,
    ) as { totals: { totalTokens: number } };
    expect(report.totals.totalTokens).toBe(FIXTURE.totalTokens + 2000);
    const logs = s.engine.podman(['logs', '--since', startedAt, id]).stdout;
    const passes = [...logs.matchAll(/"first ingest pass finished","newMessages":(\d+)/g)].map((m) =>
      Number(m[1]),
    );
    expect(passes.at(-1)).toBe(0);
    expect(await (await get('/')).text()).toContain(
      `${(FIXTURE.totalTokens + 2000).toLocaleString('en-US')} tokens`,
    );
  });
});

describe('the monitoring profile', () => {
  it('is a valid profile of the compose file', async () => {
    const r = await s.compose.run(['--profile', 'monitoring', 'config', '--services'], s.settings);
    // compose 1.29 lists every service whatever the profile: the team profile's tls too.
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual([
      'app',
      'grafana',
      'nginx',
      'prometheus',
      'tls',
    ]);
  });

  it("loads the Prometheus config and alert rules with promtool, at the prometheus service's mounts", () => {
    const bin = promtool(s.engine);
    const service = s.compose.file.services.prometheus as { volumes: string[]; command: string[] };
    const mounts = service.volumes
      .filter((v) => v.startsWith('./'))
      .flatMap((v) => {
        const [source, target] = v.split(':');
        return ['-v', `${join(repoRoot, source!)}:${target}:ro`];
      });
    const config = service.command.find((arg) => arg.startsWith('--config.file='))!.split('=')[1]!;
    const run = (args: string[]) =>
      s.engine.podman([
        'run',
        '--rm',
        '--read-only',
        '--network',
        'none',
        '-v',
        `${bin}:/bin/promtool:ro`,
        ...args,
      ]);
    const check = run([...mounts, DEBIAN_BASE, '/bin/promtool', 'check', 'config', config]);
    expect(check.stdout).toMatch(/SUCCESS: 1 rule files found/);
    expect(check.stdout).toMatch(/SUCCESS: \d+ rules found/);
    const monitoring = join(repoRoot, 'docker', 'monitoring');
    const tests = run([
      '-v',
      `${monitoring}:/rules:ro`,
      '-w',
      '/rules',
      DEBIAN_BASE,
      '/bin/promtool',
      'test',
      'rules',
      'alerts.test.yml',
    ]);
    expect(tests.stdout).toContain('SUCCESS');
  });
});

describe('the healthchecks', () => {
  it("turn healthy: compose's for app and nginx, and the image's own when it runs alone", async () => {
    await s.waitHealthy([s.container('app'), s.container('nginx')], 120_000);
    const alone = s.engine.podman(['inspect', '--format', '{{.Id}}', STANDALONE]).stdout.trim();
    await s.waitHealthy([alone], 120_000);
    const started = parseTime(inspect(alone).State.StartedAt);
    measured['image alone healthy s'] = Math.round((healthyAt(s.engine, alone) - started) / 100) / 10;
    expect(inspect(alone).Config.Healthcheck?.Test.join(' ')).toContain('process.env.CTM_PORT');
    expect(s.engine.podman(['exec', alone, 'id', '-u']).stdout.trim()).toBe('1000');
  });
});

describe('the team profile', () => {
  // A second `up`, with the profile: app recreated as a hub reading the secret, and the tls service in front.
  const MACHINE = 'ci-runner';
  const TOKEN = 'container-team-token-0123456789abcdef';
  const identity = { machine: MACHINE, user: 'ana' };
  // A day the fixture has nothing on, so the hub's usage there is the pushed record alone.
  const pushedDay = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
  const usageQuery = `/api/v1/usage?from=${pushedDay}&to=${pushedDay}`;
  let files: TeamFiles;
  let site: string;
  let otlp: string;
  let plainOtlp: string;
  let plainSite: string;
  const record = (id: string, who = identity) =>
    agentRequest(who, { id, ts: Date.parse(`${pushedDay}T12:00:00Z`), model: 'claude-sonnet-4-5-20250929' });
  const post = (token: string, body: string) =>
    https(`${otlp}/v1/logs`, files.ca, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
  const usage = async (query: string) => {
    const res = await https(`${site}${usageQuery}&${query}`, files.ca);
    expect(res.status, query).toBe(200);
    return (
      JSON.parse(res.body) as { rows: { key: string; messages: number; totalTokens: number }[] }
    ).rows.map((r) => [r.key, r.messages, r.totalTokens]);
  };
  const accepted = async () => {
    const health = JSON.parse((await https(`${site}/api/v1/health`, files.ca)).body) as {
      db: { messages: number };
      machines: { machine: string; accepted: number; rejected: number }[];
    };
    // What a request could change; lag_s moves with the clock.
    const machines = health.machines.map(({ machine, accepted, rejected }) => ({
      machine,
      accepted,
      rejected,
    }));
    return { messages: health.db.messages, machines };
  };

  beforeAll(async () => {
    files = teamFiles(MACHINE, TOKEN);
    const [sitePort, otlpPort] = [await freePort(), await freePort()];
    site = `https://localhost:${sitePort}`;
    otlp = `https://localhost:${otlpPort}`;
    plainSite = `http://127.0.0.1:${sitePort}`;
    plainOtlp = `http://127.0.0.1:${otlpPort}`;
    const team = {
      ...s.settings,
      CTM_INGEST_TOKENS_FILE: files.tokensFile,
      CTM_INGEST_TOKENS: '/run/secrets/ctm_ingest_tokens',
      CTM_TLS_DIR: files.tlsDir,
      CTM_TLS_BIND: '127.0.0.1',
      CTM_TLS_PORT: String(sitePort),
      CTM_OTLP_TLS_PORT: String(otlpPort),
    };
    const started = Date.now();
    await s.compose.run(['--profile', 'team', 'up', '-d', '--no-build'], team);
    const tls = s.container('tls');
    await s.waitHealthy([s.container('app'), s.container('nginx'), tls], 240_000);
    measured['team up → tls healthy s'] = Math.round((healthyAt(s.engine, tls) - started) / 100) / 10;
  }, 300_000);

  afterAll(() => {
    if (files) rmSync(files.dir, { recursive: true, force: true });
  });

  it('turns the tls service healthy, with the certificate directory and the token secret mounted read-only', () => {
    expect(s.health(s.container('tls'))).toBe('healthy');
    const tlsMounts = inspect(s.container('tls')).Mounts;
    expect(tlsMounts.find((m) => m.Destination === '/etc/ctm-tls')).toMatchObject({
      Type: 'bind',
      Source: files.tlsDir,
      RW: false,
    });
    const secret = inspect(s.container('app')).Mounts.find(
      (m) => m.Destination === '/run/secrets/ctm_ingest_tokens',
    );
    expect(secret).toMatchObject({ Type: 'bind', Source: files.tokensFile, RW: false });
    // The receiver is on the compose network only: nothing publishes app's 4318.
    const ports = s.engine.podman(['port', s.container('app')], { allowFailure: true }).stdout.trim();
    expect(ports).toBe('');
  });

  it("takes a valid token's OTLP logs over HTTPS, shown in /api/v1/usage under the token's machine", async () => {
    const res = await post(TOKEN, record('msg_team_container_0'));
    expect(res.status, res.body).toBe(200);
    expect(
      Number(
        (JSON.parse(res.body) as { partialSuccess?: { rejectedLogRecords?: string } }).partialSuccess
          ?.rejectedLogRecords ?? 0,
      ),
    ).toBe(0);
    expect(await usage('groupBy=machine')).toEqual([[MACHINE, 1, 1500]]);
    expect(await usage(`groupBy=user&machine=${MACHINE}`)).toEqual([['ana', 1, 1500]]);
    const { messages, machines } = await accepted();
    expect(messages).toBe(FIXTURE.messages + 2);
    expect(machines).toMatchObject([{ machine: MACHINE, accepted: 1, rejected: 0 }]);
    // The reports' door: HSTS on; the OTLP door passes only /v1/logs.
    const page = await https(`${site}/`, files.ca);
    expect(page.status).toBe(200);
    expect(page.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(await https(`${otlp}/v1/traces`, files.ca, { method: 'POST', body: '{}' })).toMatchObject({
      status: 404,
      body: '{"code":5,"message":"no such endpoint: this hub takes /v1/logs"}',
    });
  });

  it("refuses a bad token (401) and another machine's name (403), and counts nothing of either", async () => {
    const before = await accepted();
    const bad = await post('not-the-token', record('msg_team_container_bad'));
    expect(bad.status).toBe(401);
    const other = await post(TOKEN, record('msg_team_container_other', { machine: 'laptop', user: 'eve' }));
    expect(other.status).toBe(403);
    expect(await usage('groupBy=machine')).toEqual([[MACHINE, 1, 1500]]);
    expect(await accepted()).toEqual(before);
  });

  it('refuses plain HTTP on both TLS ports, and counts nothing sent that way', async () => {
    const before = await accepted();
    const sent = await plainHttp(`${plainOtlp}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: record('msg_team_container_plain'),
    });
    expect(sent.status).toBe(400);
    expect(sent.body).toContain('The plain HTTP request was sent to HTTPS port');
    const page = await plainHttp(`${plainSite}/api/v1/health`);
    expect(page.status).toBe(400);
    expect(page.body).not.toContain('"status"');
    expect(await accepted()).toEqual(before);
  });

  it('tls: every process runs as uid 101 with no capabilities and no new privileges', () => {
    const commands = checkProcesses('tls', '101');
    expect(commands).toContain('nginx: master process');
    expect(commands).toContain('nginx: worker process');
  });

  it('tls: the root filesystem is read-only, /tmp a writable tmpfs', () => checkReadOnly('tls'));

  it('tls: has the limits, restart policy and hardening the compose file sets', () => checkLimits('tls'));
});

describe('docker-compose down', () => {
  it('leaves nothing running', async () => {
    s.engine.podman(['rm', '-f', STANDALONE]);
    s.engine.podman(['volume', 'rm', '-f', `${STANDALONE}-data`]);
    await s.stop();
    stopped = true;
    const left = (args: string[]) => s.engine.podman(args).stdout.trim();
    expect(left(['ps', '-a', '-q'])).toBe('');
    expect(left(['volume', 'ls', '-q'])).toBe('');
    expect(left(['network', 'ls', '--format', '{{.Name}}']).split('\n')).toEqual(['podman']);
    expect(engineProcesses(s.engine)).toEqual([]);
  });
});
