// The container path of the nginx config: the nginx image's entrypoint sources 15-ctm-metrics-allow.envsh and
// 16-ctm-allowed-hosts.envsh and renders /etc/nginx/templates with envsubst limited to NGINX_ENVSUBST_FILTER. Done here the same way with the
// environment docker-compose.yml gives the nginx service, then checked by the installed nginx with `nginx -t`.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNginx } from './find-nginx.ts';

const repoRoot = join(import.meta.dirname, '..', '..');
const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
const compose = load(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8')) as {
  services: { nginx: { environment: Record<string, string> } };
};
const dir = mkdtempSync(join(tmpdir(), 'ctm-container-template-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Compose's own ${VAR:-default} interpolation, for the defaults in the nginx service's environment. */
function interpolate(value: string): string {
  return value.replace(/\$\{([A-Z_]+):-([^}]*)\}/g, (_m, _name: string, fallback: string) => fallback);
}

// What 20-envsubst-on-templates.sh does: substitute only the variables whose names match the filter.
const RENDER = `
. ./nginx/15-ctm-metrics-allow.envsh
. ./nginx/16-ctm-allowed-hosts.envsh
defined_envs=$(printf '\${%s} ' $(awk "END { for (name in ENVIRON) { print ( name ~ /\${NGINX_ENVSUBST_FILTER}/ ) ? name : \\"\\" } }" < /dev/null))
envsubst "$defined_envs" < nginx/ctm.conf.template
`;

function render(extra: Record<string, string> = {}): string {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent' };
  for (const [key, value] of Object.entries(compose.services.nginx.environment))
    env[key] = interpolate(value);
  return execFileSync('sh', ['-c', RENDER], { cwd: repoRoot, env: { ...env, ...extra }, encoding: 'utf8' });
}

describe('nginx template as the container renders it', () => {
  it('fills every placeholder from the compose environment', () => {
    const conf = render();
    expect(conf).not.toMatch(/\$\{CTM_[A-Z]/);
    expect(conf).toContain('listen 8080;');
    expect(conf).toContain('root /app/data/site/current;');
    expect(conf).toContain('alias /app/data/archive/;');
    expect(conf).toMatch(/map "" \$ctm_upstream \{\s+default app:51889;/);
    expect(conf).toContain(
      'allow 127.0.0.0/8; allow 10.0.0.0/8; allow 172.16.0.0/12; allow 192.168.0.0/16; allow ::1;',
    );
    expect(conf).toMatch(/map \$host \$ctm_host_allowed \{[^}]*localhost 1;/);
    // nginx's own variables are left alone.
    expect(conf).toContain('try_files $uri $uri/ =404;');
    expect(conf).toContain('$binary_remote_addr');
  });

  it('turns CTM_ALLOWED_HOSTS into host-check entries, and refuses what is not a host name', () => {
    const conf = render({ CTM_ALLOWED_HOSTS: 'CTM.example.org, *.lan' });
    expect(conf).toContain(' ctm.example.org 1; *.lan 1;');
    expect(() => render({ CTM_ALLOWED_HOSTS: 'https://ctm.example.org' })).toThrow(/not a host name/);
  });

  it('is accepted by nginx -t inside an http block like the image main config', () => {
    // The compose service name "app" is looked up per request, never while the config is loaded.
    const conf = render({ CTM_ALLOWED_HOSTS: 'ctm.example.org *.lan' });
    mkdirSync(join(dir, 'conf.d'), { recursive: true });
    writeFileSync(join(dir, 'conf.d', 'ctm.conf'), conf);
    const nginx = findNginx(undefined, process.env.PATH);
    writeFileSync(
      join(dir, 'nginx.conf'),
      [
        'worker_processes auto;',
        `pid ${dir}/nginx.pid;`,
        'events { worker_connections 1024; }',
        'http {',
        `  include ${nginx.mimeTypes};`,
        '  default_type application/octet-stream;',
        `  client_body_temp_path ${dir}/client_temp;`,
        `  proxy_temp_path ${dir}/proxy_temp;`,
        `  fastcgi_temp_path ${dir}/fastcgi_temp;`,
        `  uwsgi_temp_path ${dir}/uwsgi_temp;`,
        `  scgi_temp_path ${dir}/scgi_temp;`,
        '  sendfile on;',
        '  keepalive_timeout 65;',
        `  include ${dir}/conf.d/*.conf;`,
        '}',
      ].join('\n'),
    );
    const check = spawnSync(nginx.bin, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', 'stderr'], {
      encoding: 'utf8',
    });
    expect(check.stderr).toContain('test is successful');
    expect(check.status).toBe(0);
  });
});
