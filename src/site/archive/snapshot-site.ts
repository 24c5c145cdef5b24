// `ctm snapshot`: copies the published site into archive/<UTC timestamp>/, each page marked with the snapshot's
// time and its links made relative (browsable from file:// and under any URL prefix; snapshot-page.ts),
// hard-linking every file identical to the previous snapshot's (assets and CSV files; every page differs by its
// mark), packs it as <timestamp>.tar.gz, keeps the newest CTM_SNAPSHOT_KEEP snapshots and rewrites
// archive/index.html. What a killed snapshot left behind is tidied first: temporary files go, a snapshot whose
// packing stopped is packed.
import { spawn } from 'node:child_process';
import {
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../../config.ts';
import { sitePaths } from '../site-paths.ts';
import { snapshotPage } from './snapshot-page.ts';
import { writeFileAtomic } from '../atomic-write.ts';
import { ARCHIVE_CSS, archiveIndex } from './archive-index.ts';
import { dirBytes, listFiles, snapshotEntries, snapshotIds } from './snapshot-entries.ts';

export interface SnapshotResult {
  id: string;
  dir: string;
  tarball: string;
  files: number;
  linked: number;
  bytes: number;
}

export function snapshotId(now: number): string {
  return new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function sameContent(path: string, data: Buffer): boolean {
  try {
    return statSync(path).size === data.length && readFileSync(path).equals(data);
  } catch {
    return false;
  }
}

function tarGz(cwd: string, name: string, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', ['-czf', out, name], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`tar failed: ${err.trim()}`))));
  });
}

async function pack(archiveDir: string, id: string): Promise<string> {
  const tarball = join(archiveDir, `${id}.tar.gz`);
  await tarGz(archiveDir, id, `${tarball}.tmp`);
  renameSync(`${tarball}.tmp`, tarball);
  return tarball;
}

/** Removes what an interrupted snapshot left (snapshots run one at a time) and packs an unpacked one. */
async function tidyArchive(archiveDir: string): Promise<void> {
  for (const name of readdirSync(archiveDir)) {
    if ((name.startsWith('.') && name.endsWith('.tmp')) || name.endsWith('.tar.gz.tmp')) {
      rmSync(join(archiveDir, name), { recursive: true, force: true });
    }
  }
  for (const id of snapshotIds(archiveDir)) {
    if (!existsSync(join(archiveDir, `${id}.tar.gz`))) await pack(archiveDir, id);
  }
}

export async function snapshotSite(config: Config, now = Date.now()): Promise<SnapshotResult> {
  const paths = sitePaths(config.dataDir);
  if (!existsSync(paths.current))
    throw new Error(`no published site at ${paths.current}; run \`ctm build\` first`);
  const source = realpathSync(paths.current);
  mkdirSync(paths.archive, { recursive: true });
  await tidyArchive(paths.archive);
  let id = snapshotId(now);
  while (existsSync(join(paths.archive, id))) id = snapshotId((now += 1000));
  const existing = snapshotIds(paths.archive);
  const previous = existing.at(-1);
  const tmp = join(paths.archive, `.${id}.tmp`);
  rmSync(tmp, { recursive: true, force: true });
  let linked = 0;
  const files = listFiles(source);
  const inSnapshot = new Set(files);
  for (const file of files) {
    const raw = readFileSync(join(source, file));
    const data = file.endsWith('.html')
      ? Buffer.from(snapshotPage(raw.toString('utf8'), file, now, (f) => inSnapshot.has(f)))
      : raw;
    const target = join(tmp, file);
    mkdirSync(dirname(target), { recursive: true });
    const before = previous ? join(paths.archive, previous, file) : undefined;
    if (before && sameContent(before, data)) {
      linkSync(before, target);
      linked++;
    } else {
      writeFileSync(target, data);
    }
  }
  renameSync(tmp, join(paths.archive, id));
  const tarball = await pack(paths.archive, id);
  // Keep the newest snapshots; everything else goes (directory and tarball).
  const all = [...existing, id].sort();
  for (const old of all.slice(0, Math.max(0, all.length - config.snapshotKeep))) {
    rmSync(join(paths.archive, old), { recursive: true, force: true });
    rmSync(join(paths.archive, `${old}.tar.gz`), { force: true });
  }
  writeArchiveIndex(paths.archive);
  return {
    id,
    dir: join(paths.archive, id),
    tarball,
    files: files.length,
    linked,
    bytes: dirBytes(join(paths.archive, id)),
  };
}

export function writeArchiveIndex(archiveDir: string): void {
  writeFileAtomic(join(archiveDir, 'archive.css'), ARCHIVE_CSS);
  writeFileAtomic(join(archiveDir, 'index.html'), archiveIndex(snapshotEntries(archiveDir)));
}
