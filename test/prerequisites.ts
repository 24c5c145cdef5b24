// What `npm test` needs besides `npm install`: chromium (the end-to-end tests drive it), nginx (the stack and
// nginx tests run it), envsubst and openssl (the container-template and TLS tests call them), tmux (the ctm watch
// test drives a terminal with it). Run before the tests (test/pretest.js): on Debian or Ubuntu as root it installs
// what is missing with apt-get; anywhere else it stops at once with the command to run, instead of a test failing
// deep inside with a stack trace.
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { delimiter, join } from 'node:path';

export type Env = Record<string, string | undefined>;
export type System = 'debian' | 'ubuntu' | 'fedora' | 'arch' | 'alpine' | 'macos' | 'other';

export interface Tool {
  name: string;
  /** Why the tests need it, for the message. */
  usedBy: string;
  /** The variable that names another binary, when the tests read one. */
  setting?: string;
  /** Where the tool is looked for: absolute candidates, or a command name searched on PATH and sbin dirs. */
  candidates: (env: Env) => string[];
  packages: Partial<Record<System, string>>;
}

const SBIN_DIRS = ['/usr/sbin', '/usr/local/sbin', '/opt/homebrew/bin', '/usr/local/bin', '/snap/bin'];

function onPath(name: string, env: Env): string[] {
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...SBIN_DIRS];
  return dirs.map((dir) => join(dir, name));
}

export const TOOLS: readonly Tool[] = [
  {
    name: 'chromium',
    usedBy: 'the end-to-end tests (test/e2e) drive it',
    setting: 'CTM_CHROMIUM',
    // The tests launch /usr/bin/chromium unless CTM_CHROMIUM names another Chrome or Chromium.
    candidates: (env) => (env.CTM_CHROMIUM?.trim() ? [env.CTM_CHROMIUM.trim()] : ['/usr/bin/chromium']),
    packages: {
      debian: 'chromium',
      ubuntu: 'chromium-browser',
      fedora: 'chromium',
      arch: 'chromium',
      alpine: 'chromium',
      macos: '--cask chromium',
    },
  },
  {
    name: 'nginx',
    usedBy: 'the stack and nginx tests run it',
    setting: 'CTM_NGINX_BIN',
    candidates: (env) => (env.CTM_NGINX_BIN?.trim() ? [env.CTM_NGINX_BIN.trim()] : onPath('nginx', env)),
    packages: {
      debian: 'nginx',
      ubuntu: 'nginx',
      fedora: 'nginx',
      arch: 'nginx',
      alpine: 'nginx',
      macos: 'nginx',
    },
  },
  {
    name: 'envsubst',
    usedBy: 'the container-template test renders the nginx template with it',
    candidates: (env) => onPath('envsubst', env),
    packages: {
      debian: 'gettext-base',
      ubuntu: 'gettext-base',
      fedora: 'gettext',
      arch: 'gettext',
      alpine: 'gettext',
      macos: 'gettext',
    },
  },
  {
    name: 'openssl',
    usedBy: 'the TLS example test makes a certificate with it',
    candidates: (env) => onPath('openssl', env),
    packages: {
      debian: 'openssl',
      ubuntu: 'openssl',
      fedora: 'openssl',
      arch: 'openssl',
      alpine: 'openssl',
      macos: 'openssl',
    },
  },
  {
    name: 'tmux',
    usedBy: 'the ctm watch test runs the dashboard in a terminal it makes',
    candidates: (env) => onPath('tmux', env),
    packages: {
      debian: 'tmux',
      ubuntu: 'tmux',
      fedora: 'tmux',
      arch: 'tmux',
      alpine: 'tmux',
      macos: 'tmux',
    },
  },
];

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The tools none of whose candidates is an executable file. */
export function missingTools(env: Env, executable = isExecutable, tools = TOOLS): Tool[] {
  return tools.filter((tool) => !tool.candidates(env).some(executable));
}

/** The system, from /etc/os-release's ID and ID_LIKE (Linux) or the platform. */
export function detectSystem(platform: NodeJS.Platform, osRelease: string | undefined): System {
  if (platform === 'darwin') return 'macos';
  if (platform !== 'linux' || osRelease === undefined) return 'other';
  const field = (key: string) =>
    new RegExp(`^${key}="?([^"\\n]*)"?$`, 'm').exec(osRelease)?.[1]?.toLowerCase().split(/\s+/) ?? [];
  const ids = [...field('ID'), ...field('ID_LIKE')];
  if (ids.includes('ubuntu')) return 'ubuntu';
  if (ids.includes('debian')) return 'debian';
  if (ids.includes('fedora') || ids.includes('rhel')) return 'fedora';
  if (ids.includes('arch')) return 'arch';
  if (ids.includes('alpine')) return 'alpine';
  return 'other';
}

/** The one command that installs the missing tools on this system; `sudo` unless already root. */
export function installCommand(missing: readonly Tool[], system: System, root: boolean): string | undefined {
  const packages = missing.map((t) => t.packages[system]);
  if (system === 'other' || packages.some((p) => p === undefined)) return undefined;
  const sudo = root || system === 'macos' ? '' : 'sudo ';
  const list = packages.join(' ');
  switch (system) {
    case 'debian':
    case 'ubuntu':
      return `${sudo}apt-get update && ${sudo}apt-get install -y ${list}`;
    case 'fedora':
      return `${sudo}dnf install -y ${list}`;
    case 'arch':
      return `${sudo}pacman -S --needed ${list}`;
    case 'alpine':
      return `${sudo}apk add ${list}`;
    case 'macos':
      // Casks need their own line: `brew install --cask chromium`, the rest in one.
      return [
        ...missing.filter((t) => t.packages.macos!.startsWith('--cask')).map((t) => t.packages.macos!),
        missing
          .filter((t) => !t.packages.macos!.startsWith('--cask'))
          .map((t) => t.packages.macos!)
          .join(' '),
      ]
        .filter(Boolean)
        .map((p) => `brew install ${p}`)
        .join(' && ');
  }
}

/** What is missing and what to do, in a few lines; a setting that names no executable is to be fixed, not installed. */
export function describeMissing(missing: readonly Tool[], env: Env, system: System, root: boolean): string {
  const setting = (t: Tool) => (t.setting ? env[t.setting]?.trim() : undefined);
  const lines = [`npm test needs ${missing.map((t) => t.name).join(', ')}, which this machine lacks:`];
  for (const tool of missing) {
    const set = setting(tool);
    lines.push(
      set
        ? `  ${tool.name}: ${tool.setting}=${set} is not an executable file; fix or unset it`
        : `  ${tool.name}: ${tool.usedBy}`,
    );
  }
  const toInstall = missing.filter((t) => !setting(t));
  if (toInstall.length > 0) {
    const command = installCommand(toInstall, system, root);
    if (command) lines.push(`Install ${toInstall.length === 1 ? 'it' : 'them'} with:`, `  ${command}`);
    else lines.push('Install them with your package manager, then run npm test again.');
    const settings = toInstall.filter((t) => t.setting).map((t) => t.setting);
    if (settings.length > 0) lines.push(`Or point ${settings.join(' / ')} at an installed binary.`);
  }
  return lines.join('\n') + '\n';
}

export interface CheckDeps {
  env: Env;
  platform: NodeJS.Platform;
  osRelease: string | undefined;
  root: boolean;
  executable: (path: string) => boolean;
  /** Runs apt-get (non-interactively) with its output on the terminal; returns its exit status. */
  apt: (args: string[]) => number;
  write: (text: string) => void;
}

/**
 * 0 when everything is there (installed now or before), 2 with the message when something is missing and
 * cannot be installed here. Only Debian and Ubuntu as root install by themselves: other systems and users get
 * the command, since a test run should not ask for a password.
 */
export function checkPrerequisites(deps: CheckDeps): number {
  let missing = missingTools(deps.env, deps.executable);
  if (missing.length === 0) return 0;
  const system = detectSystem(deps.platform, deps.osRelease);
  // A setting that names no executable is a typo to fix, not a package to install.
  const explicit = missing.filter((t) => t.setting && deps.env[t.setting]?.trim());
  const installable = missing.filter((t) => !explicit.includes(t));
  const apt = (system === 'debian' || system === 'ubuntu') && deps.root && installable.length > 0;
  if (apt) {
    const packages = installable.map((t) => t.packages[system]!);
    deps.write(
      `npm test: installing ${installable.map((t) => t.name).join(', ')} (apt-get install ${packages.join(' ')})\n`,
    );
    const ok = deps.apt(['update', '-qq']) === 0 && deps.apt(['install', '-y', '-qq', ...packages]) === 0;
    missing = missingTools(deps.env, deps.executable);
    if (ok && missing.length === 0) return 0;
  }
  deps.write(describeMissing(missing, deps.env, system, deps.root));
  return 2;
}

export function checkThisMachine(): number {
  const osRelease = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : undefined;
  return checkPrerequisites({
    env: process.env,
    platform: process.platform,
    osRelease,
    root: process.getuid?.() === 0,
    executable: isExecutable,
    apt: (args) =>
      spawnSync('apt-get', args, {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      }).status ?? 1,
    write: (text) => process.stderr.write(text),
  });
}
