// The commented TLS + basic-auth server block at the end of nginx/ctm.conf.template, uncommented as a user
// would, with a throwaway self-signed certificate: nginx -t must accept it next to the plain server.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNginx } from './find-nginx.ts';
import { nginxArgs, writeNginxConfig } from './nginx-config.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ctm-tls-example-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function uncommentedExample(): string {
  const template = readFileSync(join(repoRoot, 'nginx', 'ctm.conf.template'), 'utf8');
  const lines = template.split('\n');
  const start = lines.indexOf('# server {');
  expect(start).toBeGreaterThan(0);
  return lines
    .slice(start)
    .map((line) => line.replace(/^# ?/, ''))
    .join('\n');
}

describe('the documented TLS server block', () => {
  it('is accepted by nginx -t once uncommented', () => {
    const cert = join(dir, 'fullchain.pem');
    const key = join(dir, 'privkey.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=ctm.example.org',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const example = uncommentedExample()
      .replace('/etc/letsencrypt/live/ctm.example.org/fullchain.pem', cert)
      .replace('/etc/letsencrypt/live/ctm.example.org/privkey.pem', key)
      .replace('listen 443 ssl', 'listen 127.0.0.1:18443 ssl')
      .replace('listen 80;', 'listen 127.0.0.1:18480;');
    expect(example).toContain('auth_basic_user_file /etc/nginx/ctm.htpasswd;');
    const nginx = findNginx(undefined, process.env.PATH);
    writeNginxConfig({
      repoRoot,
      runDir: dir,
      nginx,
      listen: '127.0.0.1:18479',
      siteRoot: '/srv/ctm/site/current',
      archiveRoot: '/srv/ctm/archive',
      upstream: '127.0.0.1:18478',
    });
    appendFileSync(join(dir, 'ctm.conf'), example);
    const check = spawnSync(nginx.bin, ['-t', ...nginxArgs(dir)], { encoding: 'utf8' });
    expect(check.stderr).toContain('test is successful');
  });
});
