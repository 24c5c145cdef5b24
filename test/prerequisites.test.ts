import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  TOOLS,
  checkPrerequisites,
  detectSystem,
  installCommand,
  missingTools,
  type CheckDeps,
} from './prerequisites.ts';

const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n';
const UBUNTU = 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n';
const FEDORA = 'NAME="Fedora Linux"\nID=fedora\n';
const everything = new Set([
  '/usr/bin/chromium',
  '/usr/sbin/nginx',
  '/usr/bin/envsubst',
  '/usr/bin/openssl',
  '/usr/bin/tmux',
]);

function deps(over: Partial<CheckDeps> & { present?: Set<string> }): CheckDeps & {
  out: string[];
  aptCalls: string[][];
} {
  const present = over.present ?? new Set(everything);
  const out: string[] = [];
  const aptCalls: string[][] = [];
  return {
    env: { PATH: '/usr/bin:/bin' },
    platform: 'linux',
    osRelease: DEBIAN,
    root: true,
    executable: (p) => present.has(p),
    apt: (args) => {
      aptCalls.push(args);
      return 0;
    },
    write: (t) => out.push(t),
    ...over,
    out,
    aptCalls,
  };
}

describe('npm test prerequisites', () => {
  it.each([
    ['linux', DEBIAN, 'debian'],
    ['linux', UBUNTU, 'ubuntu'],
    ['linux', FEDORA, 'fedora'],
    ['linux', 'ID=arch\n', 'arch'],
    ['linux', 'ID="rocky"\nID_LIKE="rhel centos fedora"\n', 'fedora'],
    ['linux', undefined, 'other'],
    ['darwin', undefined, 'macos'],
    ['win32', undefined, 'other'],
  ] as const)('detects %s with %j as %s', (platform, osRelease, system) => {
    expect(detectSystem(platform, osRelease)).toBe(system);
  });

  it('finds nginx in sbin though PATH lacks it, and chromium only where the tests launch it', () => {
    const present = new Set([
      '/usr/sbin/nginx',
      '/usr/bin/envsubst',
      '/usr/bin/openssl',
      '/usr/bin/tmux',
      '/snap/bin/chromium',
    ]);
    expect(missingTools({ PATH: '/usr/bin' }, (p) => present.has(p)).map((t) => t.name)).toEqual([
      'chromium',
    ]);
    expect(
      missingTools({ PATH: '/usr/bin', CTM_CHROMIUM: '/snap/bin/chromium' }, (p) => present.has(p)),
    ).toEqual([]);
  });

  it.each([
    ['debian', false, 'sudo apt-get update && sudo apt-get install -y chromium nginx'],
    ['debian', true, 'apt-get update && apt-get install -y chromium nginx'],
    ['ubuntu', false, 'sudo apt-get update && sudo apt-get install -y chromium-browser nginx'],
    ['fedora', false, 'sudo dnf install -y chromium nginx'],
    ['macos', false, 'brew install --cask chromium && brew install nginx'],
    ['other', false, undefined],
  ] as const)('the command on %s (root: %s)', (system, root, command) => {
    expect(installCommand(TOOLS.slice(0, 2), system, root)).toBe(command);
  });

  it('passes quietly when everything is there', () => {
    const d = deps({});
    expect(checkPrerequisites(d)).toBe(0);
    expect(d.out).toEqual([]);
    expect(d.aptCalls).toEqual([]);
  });

  it('installs what is missing with apt-get on Debian as root, then passes', () => {
    const present = new Set(['/usr/bin/envsubst', '/usr/bin/openssl', '/usr/bin/tmux']);
    const d = deps({ present });
    d.apt = (args) => {
      d.aptCalls.push(args);
      if (args[0] === 'install') for (const p of ['/usr/bin/chromium', '/usr/sbin/nginx']) present.add(p);
      return 0;
    };
    expect(checkPrerequisites(d)).toBe(0);
    expect(d.aptCalls).toEqual([
      ['update', '-qq'],
      ['install', '-y', '-qq', 'chromium', 'nginx'],
    ]);
    expect(d.out.join('')).toContain('installing chromium, nginx');
  });

  it('stops with the command when apt-get fails', () => {
    const d = deps({ present: new Set(['/usr/sbin/nginx', '/usr/bin/openssl']), apt: () => 100 });
    expect(checkPrerequisites(d)).toBe(2);
    expect(d.out.at(-1)).toContain('apt-get install -y chromium gettext-base');
  });

  it('stops at once without root, naming what is missing, why, and the exact command', () => {
    const d = deps({
      root: false,
      present: new Set(['/usr/bin/envsubst', '/usr/bin/openssl', '/usr/bin/tmux']),
    });
    expect(checkPrerequisites(d)).toBe(2);
    expect(d.aptCalls).toEqual([]);
    expect(d.out.join('')).toBe(
      'npm test needs chromium, nginx, which this machine lacks:\n' +
        '  chromium: the end-to-end tests (test/e2e) drive it\n' +
        '  nginx: the stack and nginx tests run it\n' +
        'Install them with:\n' +
        '  sudo apt-get update && sudo apt-get install -y chromium nginx\n' +
        'Or point CTM_CHROMIUM / CTM_NGINX_BIN at an installed binary.\n',
    );
  });

  it('names tmux, which the ctm watch test drives, with the command that installs it', () => {
    const d = deps({
      root: false,
      osRelease: UBUNTU,
      present: new Set([...everything].filter((p) => !p.endsWith('tmux'))),
    });
    expect(checkPrerequisites(d)).toBe(2);
    expect(d.out.join('')).toContain(
      '  tmux: the ctm watch test runs the dashboard in a terminal it makes\n',
    );
    expect(d.out.join('')).toContain('  sudo apt-get update && sudo apt-get install -y tmux\n');
  });

  it('does not install for a setting that names no executable: that is to be fixed', () => {
    const d = deps({ env: { PATH: '/usr/bin', CTM_NGINX_BIN: '/opt/nginx/sbin/nginx' } });
    expect(checkPrerequisites(d)).toBe(2);
    expect(d.aptCalls).toEqual([]);
    expect(d.out.join('')).toBe(
      'npm test needs nginx, which this machine lacks:\n' +
        '  nginx: CTM_NGINX_BIN=/opt/nginx/sbin/nginx is not an executable file; fix or unset it\n',
    );
  });

  it('on a system it has no command for, says so in a line', () => {
    const d = deps({ platform: 'freebsd', osRelease: undefined, present: new Set() });
    expect(checkPrerequisites(d)).toBe(2);
    expect(d.out.join('')).toContain('Install them with your package manager, then run npm test again.');
  });

  it('as the pretest script: exit 2 and one message, no stack trace', () => {
    const script = fileURLToPath(new URL('./pretest.js', import.meta.url));
    const r = spawnSync(process.execPath, [script], {
      env: { ...process.env, CTM_CHROMIUM: '/nonexistent/chromium' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      '  chromium: CTM_CHROMIUM=/nonexistent/chromium is not an executable file; fix or unset it\n',
    );
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
