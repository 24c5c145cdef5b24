// Writes the native nginx configuration into a run dir (main context + the shared ctm.conf template) and
// checks it with `nginx -t`, so a broken config is reported before anything starts. As root, the workers
// run as an unprivileged user (never root) that must be able to reach the site and the archive.
import { chmodSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { renderTemplate } from './render-template.ts';
import { metricsAllowRules } from './metrics-allow-rules.ts';
import { allowedHostRules } from './allowed-host-rules.ts';
import { assertReachable, unprivilegedUser } from './worker-user.ts';
import type { NginxInstall } from './find-nginx.ts';

export interface NginxConfigOptions {
  repoRoot: string;
  runDir: string;
  nginx: NginxInstall;
  listen: string;
  siteRoot: string;
  archiveRoot: string;
  upstream: string;
  metricsAllow?: string | undefined;
  /** Host names served beyond localhost and IP addresses: the listen host if a name, CTM_ALLOWED_HOSTS. */
  allowedHosts?: readonly string[];
}

function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

export function nginxArgs(runDir: string): string[] {
  return ['-p', runDir, '-c', join(runDir, 'nginx.conf'), '-e', 'stderr', '-g', 'daemon off;'];
}

/** Renders nginx.conf and ctm.conf into runDir and validates them; returns the nginx.conf path. */
export function writeNginxConfig(o: NginxConfigOptions): string {
  for (const sub of ['', 'client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi', 'logs']) {
    mkdirSync(join(o.runDir, sub), { recursive: true });
  }
  const template = (name: string) => readFileSync(join(o.repoRoot, 'nginx', name), 'utf8');
  writeAtomic(
    join(o.runDir, 'ctm.conf'),
    renderTemplate(template('ctm.conf.template'), {
      CTM_NGINX_LISTEN: o.listen,
      CTM_SITE_ROOT: o.siteRoot,
      CTM_ARCHIVE_ROOT: o.archiveRoot,
      CTM_UPSTREAM: o.upstream,
      CTM_NGINX_METRICS_ALLOW: metricsAllowRules(o.metricsAllow),
      CTM_NGINX_ALLOWED_HOSTS: allowedHostRules(o.allowedHosts ?? []),
    }),
  );
  // Without a user directive a root master starts its workers as root; an ordinary user's nginx cannot
  // switch users and runs them as itself.
  const worker = process.getuid?.() === 0 ? unprivilegedUser() : null;
  if (worker) {
    assertReachable(worker, [o.siteRoot, o.archiveRoot], 'CTM_DATA_DIR');
    // The workers write proxy buffers into the run dir's temp dirs (nginx gives them those).
    chmodSync(o.runDir, 0o755);
  }
  const main = join(o.runDir, 'nginx.conf');
  writeAtomic(
    main,
    renderTemplate(template('native.conf.template'), {
      CTM_NGINX_RUN_DIR: o.runDir,
      CTM_NGINX_MIME_TYPES: o.nginx.mimeTypes,
      CTM_NGINX_USER_DIRECTIVE: worker ? `user ${worker.name} ${worker.group};` : '',
    }),
  );
  const check = spawnSync(o.nginx.bin, ['-t', ...nginxArgs(o.runDir)], { encoding: 'utf8' });
  if (check.status !== 0) {
    throw new Error(`nginx -t rejected ${main}:\n${(check.stderr || check.stdout).trim()}`);
  }
  return main;
}
