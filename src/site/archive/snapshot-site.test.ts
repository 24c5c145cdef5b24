// Snapshots of a small published site: each page marked with the snapshot's time and no link to a page the
// snapshot lacks; what a snapshot killed while packing leaves behind (the renamed directory, a half-written
// <ts>.tar.gz.tmp, a staging dir) is never listed and is tidied by the next one.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { sitePaths } from '../site-paths.ts';
import { snapshotId, snapshotSite, writeArchiveIndex } from './snapshot-site.ts';
import { snapshotEntries } from './snapshot-entries.ts';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function publishedSite() {
  const root = mkdtempSync(join(tmpdir(), 'ctm-snapshot-'));
  roots.push(root);
  const dataDir = join(root, 'data');
  const release = join(dataDir, 'site', 'releases', 'r1', 'site');
  mkdirSync(join(release, 'days'), { recursive: true });
  mkdirSync(join(release, '_astro'), { recursive: true });
  const nav =
    '<nav><ul><li><a href="/">Overview</a></li><li><a href="/days/">Days</a></li><li><a href="/live/">Live</a></li></ul></nav>';
  const page = (title: string, body: string) =>
    `<!doctype html><html><head><title>${title}</title><link rel="stylesheet" href="/_astro/app.abc.css"></head><body>${nav}<main id="main">${body}</main></body></html>\n`;
  writeFileSync(join(release, 'index.html'), page('ctm', '<h1>Overview</h1><a href="/days/">Days</a>'));
  writeFileSync(
    join(release, 'days', 'index.html'),
    page('Days', '<h1>Days</h1><a href="/api/v1/usage">API</a>'),
  );
  writeFileSync(join(release, '_astro', 'app.abc.css'), 'body{margin:0}\n');
  symlinkSync(release, sitePaths(dataDir).current);
  const config = loadConfig({ CTM_DATA_DIR: dataDir, CTM_TZ: 'UTC', CTM_CLAUDE_DIR: join(root, 'claude') });
  return { config, archive: sitePaths(dataDir).archive };
}

/** The state a `kill -9` during `tar` leaves: the snapshot dir renamed into place, its tarball half written. */
function killedWhilePacking(archive: string, from: string, id: string): void {
  const dir = join(archive, id);
  mkdirSync(join(dir, 'days'), { recursive: true });
  for (const file of ['index.html', join('days', 'index.html')])
    writeFileSync(join(dir, file), readFileSync(join(archive, from, file)));
  writeFileSync(join(archive, `${id}.tar.gz.tmp`), Buffer.from([0x1f, 0x8b, 0x08]));
  mkdirSync(join(archive, `.${snapshotId(Date.parse('2026-01-03T00:00:00Z'))}.tmp`, 'days'), {
    recursive: true,
  });
}

describe('snapshotSite after a killed snapshot', () => {
  it('lists only snapshots that have their download', async () => {
    const { config, archive } = publishedSite();
    const first = await snapshotSite(config, Date.parse('2026-01-01T00:00:00Z'));
    const killed = snapshotId(Date.parse('2026-01-02T00:00:00Z'));
    killedWhilePacking(archive, first.id, killed);
    writeArchiveIndex(archive);
    const index = readFileSync(join(archive, 'index.html'), 'utf8');
    expect(index).toContain(`${first.id}.tar.gz`);
    expect(index).not.toContain(killed);
    expect(snapshotEntries(archive).map((e) => e.id)).toEqual([first.id]);
  });

  it('the next snapshot removes the temporary files and packs the interrupted one', async () => {
    const { config, archive } = publishedSite();
    const first = await snapshotSite(config, Date.parse('2026-01-01T00:00:00Z'));
    const killed = snapshotId(Date.parse('2026-01-02T00:00:00Z'));
    killedWhilePacking(archive, first.id, killed);
    const next = await snapshotSite(config, Date.parse('2026-01-04T00:00:00Z'));
    expect(readdirSync(archive).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(join(archive, `${killed}.tar.gz`))).toBe(true);
    const entries = snapshotEntries(archive);
    expect(entries.map((e) => e.id)).toEqual([next.id, killed, first.id]);
    const index = readFileSync(join(archive, 'index.html'), 'utf8');
    for (const e of entries) expect(index).toContain(`<a href="${e.id}.tar.gz" download>`);
  });
});

describe('snapshotSite pages', () => {
  it('marks every page with the snapshot time, and every link resolves inside the archive', async () => {
    const { config, archive } = publishedSite();
    const shot = await snapshotSite(config, Date.parse('2026-08-07T00:05:00Z'));
    const pages = ['index.html', join('days', 'index.html')];
    for (const file of pages) {
      const html = readFileSync(join(shot.dir, file), 'utf8');
      expect(html, file).toContain('role="note">Snapshot of 2026-08-07 00:05 UTC');
      expect(html, file).not.toMatch(/>Live</);
      const links = [...html.matchAll(/\b(?:href|src)="([^"#?]*)[^"]*"/g)].map((m) => m[1]!);
      expect(links.length, file).toBeGreaterThan(3);
      for (const link of links) {
        const target = join(dirname(join(shot.dir, file)), link);
        expect(target.startsWith(archive), `${file} → ${link}`).toBe(true);
        expect(existsSync(target), `${file} → ${link}`).toBe(true);
      }
    }
    expect(readFileSync(join(shot.dir, 'days', 'index.html'), 'utf8')).toContain('<span>API</span>');
  });

  it('hard-links what did not change; the pages differ by their mark', async () => {
    const { config } = publishedSite();
    await snapshotSite(config, Date.parse('2026-08-06T00:05:00Z'));
    const next = await snapshotSite(config, Date.parse('2026-08-07T00:05:00Z'));
    expect(next.files).toBe(3);
    expect(next.linked).toBe(1);
  });
});
