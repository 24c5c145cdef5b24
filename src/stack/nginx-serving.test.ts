// The repo's nginx config served by the installed nginx in front of a real `ctm start` (in-process, loopback):
// the host check (421), one copy of each security header, equal to the app's, methods, archive directories
// never listed, the CSV files' type, and workers that never run as root.
import { spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { silentLogger } from '../log.ts';
import { SECURITY_HEADERS } from '../server/security-headers.ts';
import { startServer, type RunningServer } from '../server/start-server.ts';
import { assistantLine } from '../../test/fixtures/fixture-lines.ts';
import { findNginx } from './find-nginx.ts';
import { freePort } from './free-port.ts';
import { nginxArgs, writeNginxConfig } from './nginx-config.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const nginx = findNginx(undefined, process.env.PATH);
const asRoot = process.getuid?.() === 0;

interface Raw {
  status: number;
  headers: [string, string][];
  body: string;
}

/** One request exactly as written (fetch would fix the Host header and refuse TRACE). */
function rawRequest(port: number, head: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`${head}\r\nConnection: close\r\n\r\n`));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const [top = '', ...rest] = data.split('\r\n\r\n');
      const [status = '', ...lines] = top.split('\r\n');
      resolve({
        status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(status)?.[1] ?? 0),
        headers: lines.map((l) => [
          l.slice(0, l.indexOf(':')).toLowerCase(),
          l.slice(l.indexOf(':') + 1).trim(),
        ]),
        body: rest.join('\r\n\r\n'),
      });
    });
  });
}

const get = (port: number, path: string, host = '127.0.0.1', method = 'GET') =>
  rawRequest(port, `${method} ${path} HTTP/1.1\r\nHost: ${host}`);

function header(raw: Raw, name: string): string[] {
  return raw.headers.filter(([n]) => n === name).map(([, v]) => v);
}

let root: string;
let app: RunningServer;
let child: ChildProcess;
let port: number;
let runDir: string;
const snapshot = '20261201T000000Z';
// A table's CSV file, long enough to be gzipped.
const CSV = 'Day,Tokens\r\n' + Array.from({ length: 200 }, (_, i) => `2026-03-${i % 28},${i}\r\n`).join('');

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ctm-nginx-serving-'));
  chmodSync(root, 0o755); // nginx's workers are not root: they must reach the data dir
  const project = join(root, 'claude', 'projects', '-home-me-repo');
  mkdirSync(project, { recursive: true });
  writeFileSync(
    join(project, 's1.jsonl'),
    assistantLine({ id: 'msg_1', timestamp: new Date().toISOString() }) + '\n',
  );
  const dataDir = join(root, 'data');
  const release = join(dataDir, 'site', 'releases', 'r1');
  mkdirSync(join(release, 'days'), { recursive: true });
  writeFileSync(join(release, 'index.html'), '<!doctype html><title>ctm</title><h1>Overview</h1>\n');
  writeFileSync(join(release, '404.html'), '<!doctype html><title>Not found</title><p>no such report</p>\n');
  writeFileSync(join(release, 'days', 'index.html'), '<!doctype html><title>Days</title>\n');
  writeFileSync(join(release, 'days', 'index.csv'), CSV);
  symlinkSync(release, join(dataDir, 'site', 'current'));
  const archive = join(dataDir, 'archive');
  mkdirSync(join(archive, snapshot, '_astro'), { recursive: true });
  writeFileSync(join(archive, snapshot, 'index.html'), '<!doctype html><title>Snapshot</title>\n');
  writeFileSync(join(archive, snapshot, 'index.csv'), CSV);
  writeFileSync(join(archive, snapshot, '_astro', 'app.abc.js'), 'console.log(1);\n');
  writeFileSync(join(archive, `${snapshot}.tar.gz`), 'packed');
  mkdirSync(join(archive, '20261202T000000Z'));
  writeFileSync(join(archive, '20261202T000000Z.tar.gz.tmp'), 'half');
  app = await startServer(
    {
      ...loadConfig({
        CTM_CLAUDE_DIR: join(root, 'claude'),
        CTM_DATA_DIR: dataDir,
        CTM_TZ: 'UTC',
        CTM_REBUILD_CRON: 'off',
        CTM_SNAPSHOT_CRON: 'off',
        CTM_ALLOWED_HOSTS: 'ctm.example.org *.lan',
      }),
      port: 0,
    },
    silentLogger,
  );
  await app.firstPass;
  port = await freePort();
  runDir = mkdtempSync(join(tmpdir(), 'ctm-nginx-serving-run-'));
  writeNginxConfig({
    repoRoot,
    runDir,
    nginx,
    listen: `127.0.0.1:${port}`,
    siteRoot: join(dataDir, 'site', 'current'),
    archiveRoot: archive,
    upstream: app.url.replace('http://', ''),
    allowedHosts: ['ctm.example.org', '*.lan'],
  });
  child = spawn(nginx.bin, nginxArgs(runDir), { stdio: 'ignore' });
  const end = Date.now() + 10_000;
  while ((await get(port, '/_nginx/health').catch(() => null))?.status !== 200) {
    if (Date.now() > end) throw new Error('nginx did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
});

afterAll(async () => {
  child?.kill('SIGTERM');
  await app?.close();
  for (const dir of [root, runDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('nginx in front of ctm start', () => {
  it.each([
    'attacker.example',
    'attacker.example:51888',
    'localhost.attacker.example',
    'lan',
    'ctm.example.org.evil',
  ])('Host: %s → 421, for files and proxied routes alike', async (host) => {
    for (const path of ['/', '/days/', '/api/v1/live', '/api/v1/stream', '/live/', '/archive/', '/metrics']) {
      const res = await get(port, path, host);
      expect(res.status, `${host} ${path}`).toBe(421);
      expect(res.body).not.toContain('Overview');
      expect(header(res, 'x-frame-options')).toEqual(['DENY']);
    }
  });

  it.each([
    'localhost',
    'ctm.localhost:8080',
    '127.0.0.1',
    '[::1]:51888',
    '192.168.1.20',
    'ctm.example.org',
    'box.lan',
  ])('Host: %s is served', async (host) => {
    expect((await get(port, '/', host)).status).toBe(200);
    expect((await get(port, '/api/v1/health', host)).status).toBe(200);
  });

  it('a client without Host (HTTP/1.0) is served', async () => {
    expect((await rawRequest(port, 'GET / HTTP/1.0')).status).toBe(200);
  });

  it('sends each security header once, with the values ctm start sends', async () => {
    for (const path of ['/', '/api/v1/health', '/live/', '/no-such-page/']) {
      const res = await get(port, path);
      for (const [name, value] of Object.entries(SECURITY_HEADERS))
        expect(header(res, name), `${path} ${name}`).toEqual([value]);
    }
    const direct = await get(Number(new URL(app.url).port), '/api/v1/health');
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
      expect(header(direct, name)).toEqual([value]);
  });

  it('serves the CSV files as text/csv in UTF-8, in the site and in a snapshot, gzipped when asked', async () => {
    for (const path of ['/days/index.csv', `/archive/${snapshot}/index.csv`]) {
      const res = await get(port, path);
      expect(res.status, path).toBe(200);
      expect(header(res, 'content-type'), path).toEqual(['text/csv; charset=utf-8']);
      expect(res.body).toBe(CSV);
      for (const [name, value] of Object.entries(SECURITY_HEADERS))
        expect(header(res, name)).toEqual([value]);
    }
    // The rest of mime.types still applies.
    expect(header(await get(port, `/archive/${snapshot}/_astro/app.abc.js`), 'content-type')[0]).toMatch(
      /javascript/,
    );
    const gz = await rawRequest(
      port,
      'GET /days/index.csv HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip',
    );
    expect(header(gz, 'content-encoding')).toEqual(['gzip']);
  });

  it('TRACE and OPTIONS on /live/ are 405 with Allow', async () => {
    expect((await get(port, '/live/', '127.0.0.1', 'TRACE')).status).toBe(405);
    const options = await get(port, '/live/', '127.0.0.1', 'OPTIONS');
    expect(options.status).toBe(405);
    expect(header(options, 'allow')).toEqual(['GET, HEAD']);
  });

  it('lists no directory inside a snapshot and lists only complete snapshots at /archive/', async () => {
    const inside = await get(port, `/archive/${snapshot}/_astro/`);
    expect(inside.status).toBe(404);
    expect(inside.body).not.toContain('app.abc.js');
    expect(inside.body).toContain('no such report');
    expect((await get(port, `/archive/${snapshot}/`)).body).toContain('Snapshot');
    expect((await get(port, `/archive/${snapshot}/_astro/app.abc.js`)).status).toBe(200);
    const listing = await get(port, '/archive/');
    expect(listing.status).toBe(200);
    expect(listing.body).toContain(`${snapshot}.tar.gz`);
    expect(listing.body).not.toContain('20261202T000000Z');
    writeFileSync(
      join(root, 'data', 'archive', 'index.html'),
      '<!doctype html><title>Archived reports</title>\n',
    );
    expect((await get(port, '/archive/')).body).toContain('<title>Archived reports</title>');
  });

  it('runs its workers as an unprivileged user', () => {
    const master = Number(readFileSync(join(runDir, 'nginx.pid'), 'utf8'));
    const workers = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1] === String(master);
        } catch {
          return false;
        }
      });
    expect(workers.length).toBeGreaterThan(0);
    for (const pid of workers) {
      const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
      expect(uid).not.toBe(0);
    }
    const conf = readFileSync(join(runDir, 'nginx.conf'), 'utf8');
    expect(conf).not.toMatch(/^\s*user root/m);
    if (asRoot) expect(conf).toMatch(/^user (www-data|nginx|nobody) \S+;$/m);
    else expect(conf).not.toMatch(/^\s*user /m);
  });
});

describe('writeNginxConfig as root', () => {
  it('names CTM_DATA_DIR when the workers cannot reach a private data dir (an ordinary user needs no check)', () => {
    const home = mkdtempSync(join(tmpdir(), 'ctm-private-')); // mode 0700, like a home dir
    const run = mkdtempSync(join(tmpdir(), 'ctm-private-run-'));
    try {
      const write = () =>
        writeNginxConfig({
          repoRoot,
          runDir: run,
          nginx,
          listen: '127.0.0.1:18997',
          siteRoot: join(home, 'data', 'site', 'current'),
          archiveRoot: join(home, 'data', 'archive'),
          upstream: '127.0.0.1:18996',
        });
      if (asRoot) {
        expect(write).toThrow(ConfigError);
        expect(write).toThrow(/^CTM_DATA_DIR: nginx's workers run as \S+ .*cannot enter .*ctm-private-/);
      } else expect(write).not.toThrow();
    } finally {
      rmSync(home, { recursive: true, force: true });
      rmSync(run, { recursive: true, force: true });
    }
  });
});

describe('ctm.conf.template', () => {
  it('adds exactly the security headers ctm start sends', () => {
    const template = readFileSync(join(repoRoot, 'nginx', 'ctm.conf.template'), 'utf8');
    const server = template.slice(0, template.indexOf('# Exposing ctm beyond localhost'));
    const added = Object.fromEntries(
      [...server.matchAll(/^\s*add_header (\S+) "([^"]*)" always;$/gm)]
        .map((m) => [m[1]!.toLowerCase(), m[2]!])
        .filter(([name]) => name !== 'cache-control'),
    );
    expect(added).toEqual(SECURITY_HEADERS);
    const hidden = [...server.matchAll(/^\s*proxy_hide_header (\S+);$/gm)].map((m) => m[1]!.toLowerCase());
    expect(hidden.sort()).toEqual(Object.keys(SECURITY_HEADERS).sort());
  });
});
