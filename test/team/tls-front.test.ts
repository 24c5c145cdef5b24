// The team profile's TLS front as it runs, natively: nginx with nginx/team-tls.conf.template rendered (a
// self-signed certificate made by openssl), a real `ctm start` hub behind it, and `ctm push` as an agent
// trusting that certificate (NODE_EXTRA_CA_CERTS, as docs/team.md says). Reports and OTLP both go over TLS;
// what is not /v1/logs on the OTLP port is a 404.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistantLine } from '../fixtures/fixture-lines.ts';
import { fixtureTree, tempDir, type FixtureTree } from '../fixtures/fixture-tree.ts';
import { runCtm, spawnCtm } from '../fixtures/run-ctm.ts';
import { openDb } from '../../src/db/open.ts';
import { findNginx } from '../../src/stack/find-nginx.ts';
import { freePort } from '../../src/stack/free-port.ts';
import { renderTemplate } from '../../src/stack/render-template.ts';

const TOKEN = 'ci-runner-token-0123456789abcdef';

function get(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the TLS front of the team profile', () => {
  const dir = tempDir('ctm-tls-');
  let hub: ChildProcess;
  let nginx: ChildProcess;
  let tree: FixtureTree;
  let ca: Buffer;
  let site: string;
  let otlp: string;
  const hubData = join(dir, 'hub');

  beforeAll(async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        join(dir, 'privkey.pem'),
        '-out',
        join(dir, 'fullchain.pem'),
      ],
      { stdio: 'ignore' },
    );
    ca = readFileSync(join(dir, 'fullchain.pem'));
    mkdirSync(join(hubData, 'site', 'current'), { recursive: true });
    writeFileSync(
      join(hubData, 'site', 'current', 'index.html'),
      '<!doctype html><title>team reports</title>\n',
    );
    writeFileSync(join(dir, 'tokens'), `ci-runner ${TOKEN}\n`);
    const [http, otlpPort, siteTls, otlpTls] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    hub = spawnCtm(['start'], {
      HOME: dir,
      CTM_DATA_DIR: hubData,
      CTM_CLAUDE_DIR: join(dir, 'none'),
      CTM_PORT: String(http),
      CTM_OTLP_PORT: String(otlpPort),
      CTM_INGEST_TOKENS: join(dir, 'tokens'),
      CTM_ALLOWED_HOSTS: 'localhost',
      CTM_REBUILD_CRON: 'off',
      CTM_SNAPSHOT_CRON: 'off',
    });
    const conf = renderTemplate(readFileSync('nginx/team-tls.conf.template', 'utf8'), {
      CTM_TLS_SITE_LISTEN: `127.0.0.1:${siteTls}`,
      CTM_TLS_OTLP_LISTEN: `127.0.0.1:${otlpTls}`,
      CTM_TLS_CERT: join(dir, 'fullchain.pem'),
      CTM_TLS_KEY: join(dir, 'privkey.pem'),
      // In compose the reports go through their own nginx first; here straight to the app.
      CTM_SITE_UPSTREAM: `127.0.0.1:${http}`,
      CTM_OTLP_UPSTREAM: `127.0.0.1:${otlpPort}`,
      CTM_TLS_MAX_BODY: '16777216',
    });
    mkdirSync(join(dir, 'nginx', 'logs'), { recursive: true });
    writeFileSync(join(dir, 'nginx', 'team-tls.conf'), conf);
    writeFileSync(
      join(dir, 'nginx', 'nginx.conf'),
      `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;\npid ${dir}/nginx/nginx.pid;\nerror_log ${dir}/nginx/logs/error.log;\n` +
        `events {}\nhttp {\n  access_log off;\n  client_body_temp_path ${dir}/nginx/body;\n  proxy_temp_path ${dir}/nginx/proxy;\n` +
        `  include ${dir}/nginx/team-tls.conf;\n}\n`,
    );
    const { bin } = findNginx(process.env.CTM_NGINX_BIN, process.env.PATH);
    execFileSync(bin, ['-t', '-p', join(dir, 'nginx'), '-c', join(dir, 'nginx', 'nginx.conf')], {
      stdio: 'ignore',
    });
    nginx = spawn(
      bin,
      ['-p', join(dir, 'nginx'), '-c', join(dir, 'nginx', 'nginx.conf'), '-g', 'daemon off;'],
      {
        stdio: 'ignore',
      },
    );
    site = `https://localhost:${siteTls}`;
    otlp = `https://localhost:${otlpTls}`;
    for (let i = 0; ; i++) {
      try {
        if ((await get(`${site}/api/v1/health`, ca)).status === 200) break;
      } catch {
        // not up yet
      }
      if (i > 300) throw new Error('the hub behind nginx did not come up');
      await new Promise((r) => setTimeout(r, 100));
    }
    tree = fixtureTree();
    tree.write(
      '-home-ci-repo/s.jsonl',
      [1, 2, 3, 4].map((i) =>
        assistantLine({
          id: `msg_ci_${i}`,
          sessionId: 's-ci',
          timestamp: new Date(Date.now() - i * 60_000).toISOString(),
        }),
      ),
    );
  }, 60_000);

  afterAll(() => {
    nginx?.kill('SIGTERM');
    hub?.kill('SIGTERM');
    tree?.remove();
  });

  it('takes an agent’s push over TLS and shows it in the reports over TLS', async () => {
    const env = {
      HOME: tree.root,
      CTM_CLAUDE_DIR: tree.claudeDir,
      CTM_DATA_DIR: join(tree.root, 'data'),
      CTM_PUSH_URL: otlp,
      CTM_PUSH_TOKEN: TOKEN,
      CTM_MACHINE: 'ci-runner',
      NODE_EXTRA_CA_CERTS: join(dir, 'fullchain.pem'),
    };
    const r = runCtm(['push'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /pushed 4 rows and 0 session costs as ci-runner to https:\/\/localhost:\d+ in 1 requests/,
    );
    const db = openDb(join(hubData, 'ctm.db'), { readonly: true });
    expect(db.prepare(`SELECT machine, count(*) AS n FROM usage GROUP BY 1`).all()).toEqual([
      { machine: 'ci-runner', n: 4 },
    ]);
    db.close();
    const health = JSON.parse((await get(`${site}/api/v1/health`, ca)).body) as {
      machines: { machine: string }[];
    };
    expect(health.machines.map((m) => m.machine)).toEqual(['ci-runner']);
    expect((await get(`${site}/`, ca)).body).toContain('team reports');
  });

  it('answers 404 for other OTLP signals, and an agent not trusting the certificate sends nothing', async () => {
    expect(await get(`${otlp}/v1/traces`, ca)).toEqual({
      status: 404,
      body: '{"code":5,"message":"no such endpoint: this hub takes /v1/logs"}',
    });
    const r = runCtm(['push'], {
      HOME: tree.root,
      CTM_CLAUDE_DIR: tree.claudeDir,
      CTM_DATA_DIR: join(tree.root, 'untrusting'),
      CTM_PUSH_URL: otlp,
      CTM_PUSH_TOKEN: TOKEN,
      CTM_MACHINE: 'ci-runner',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^ctm: push: https:\/\/localhost:\d+\/v1\/logs refused the records: TLS: DEPTH_ZERO_SELF_SIGNED_CERT/,
    );
  });
});
