// Points a symlink at a new target atomically: create it under a temporary name, then rename over the old one.
import { renameSync, symlinkSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

export function swapSymlink(target: string, link: string): void {
  const tmp = `${link}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  rmSync(tmp, { force: true });
  symlinkSync(target, tmp);
  renameSync(tmp, link);
}
