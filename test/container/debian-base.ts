// The Debian bookworm slim base of the stand-in images, made here as Debian's official images are made
// (debuerreotype: a debootstrap minbase rootfs, the container apt/dpkg settings, slimmed, tarred) and imported
// with `podman import`. The tarball is cached in the state dir; from nothing it takes about a minute.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from './engine.ts';

export const DEBIAN_BASE = 'localhost/ctm-test/debian:bookworm-slim';
const MIRROR = process.env.CTM_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
const SECURITY_MIRROR = process.env.CTM_DEBIAN_SECURITY_MIRROR ?? 'http://deb.debian.org/debian-security';

// debian:bookworm's own sources (deb822), written by hand: debuerreotype's writer insists on snapshot.debian.org.
const SOURCES = `Types: deb
URIs: ${MIRROR}
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${SECURITY_MIRROR}
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
`;

function sh(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
}

// The steps of debuerreotype's own image build (init, minimizing config, upgraded, slimmed, tarred); the
// sources list is written between the first two.
const STEPS: [string, (rootfs: string, tar: string) => string[]][] = [
  ['debuerreotype-init', (rootfs) => ['--non-debian', rootfs, 'bookworm', MIRROR]],
  ['debuerreotype-minimizing-config', (rootfs) => [rootfs]],
  ['debuerreotype-apt-get', (rootfs) => [rootfs, 'update', '-qq']],
  ['debuerreotype-apt-get', (rootfs) => [rootfs, 'dist-upgrade', '-yqq']],
  ['debuerreotype-slimify', (rootfs) => [rootfs]],
  ['debuerreotype-tar', (rootfs, tar) => [rootfs, tar]],
];

/** Names the cached tarball after everything that goes into it. */
function recipeDigest(): string {
  const steps = STEPS.map(([cmd, args]) => [cmd, ...args('ROOTFS', 'TAR')].join(' '));
  return createHash('sha256')
    .update(JSON.stringify([steps, SOURCES]))
    .digest('hex')
    .slice(0, 12);
}

function buildRootfsTar(tarPath: string, log: (line: string) => void): void {
  const work = mkdtempSync(join(tarPath, '..', 'rootfs-'));
  const rootfs = join(work, 'rootfs');
  try {
    const started = Date.now();
    for (const [cmd, args] of STEPS) {
      sh(cmd, args(rootfs, `${tarPath}.tmp`));
      if (cmd === 'debuerreotype-init') {
        rmSync(join(rootfs, 'etc/apt/sources.list'), { force: true });
        writeFileSync(join(rootfs, 'etc/apt/sources.list.d/debian.sources'), SOURCES);
      }
    }
    renameSync(`${tarPath}.tmp`, tarPath);
    log(`debian base: bookworm minbase rootfs made in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function fileDigest(path: string): string {
  return execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0]!;
}

/** Makes (or finds, when the cached tarball is the one it was imported from) the base image. */
export function debianBase(engine: Engine, log: (line: string) => void): string {
  for (const tool of ['debootstrap', 'debuerreotype-init']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      throw new Error(`${tool} not found: apt-get install debootstrap debuerreotype`);
    }
  }
  const tarPath = join(engine.cacheDir, `debian-bookworm-slim-${recipeDigest()}.tar`);
  if (!existsSync(tarPath)) buildRootfsTar(tarPath, log);
  const digest = createHash('sha256').update(fileDigest(tarPath)).digest('hex').slice(0, 16);
  const seen = engine.podman(
    ['image', 'inspect', '--format', '{{index .Labels "ctm.test.rootfs"}}', DEBIAN_BASE],
    {
      allowFailure: true,
    },
  );
  if (seen.status === 0 && seen.stdout.trim() === digest) return DEBIAN_BASE;
  engine.podman([
    'import',
    '--change',
    `LABEL ctm.test.rootfs=${digest}`,
    '--change',
    'CMD ["bash"]',
    tarPath,
    DEBIAN_BASE,
  ]);
  log(`debian base: imported ${DEBIAN_BASE}`);
  return DEBIAN_BASE;
}
