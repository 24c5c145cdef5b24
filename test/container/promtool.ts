// promtool for the monitoring profile's checks, from Debian's prometheus package: downloaded with apt and
// unpacked into the cache, never installed (the package would also install and start a Prometheus server).
// It runs inside a container with the prometheus service's own mounts, so absolute paths resolve as there.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from './engine.ts';

export function promtool(engine: Engine): string {
  const bin = join(engine.cacheDir, 'promtool');
  if (existsSync(bin)) return bin;
  const work = mkdtempSync(join(engine.cacheDir, 'prometheus-deb-'));
  try {
    // apt's sandbox user cannot write into a root-only dir: download as root, which apt only warns about.
    execFileSync('apt-get', ['download', '-q', 'prometheus'], {
      cwd: work,
      stdio: 'ignore',
      timeout: 180_000,
    });
    const deb = readdirSync(work).find((name) => name.endsWith('.deb'));
    if (!deb) throw new Error('apt-get download prometheus left no .deb');
    execFileSync('dpkg-deb', ['-x', join(work, deb), join(work, 'x')]);
    renameSync(join(work, 'x', 'usr', 'bin', 'promtool'), bin);
    return bin;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
