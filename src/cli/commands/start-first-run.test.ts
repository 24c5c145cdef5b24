// `ctm start`'s first minute as a real process on a fresh data dir: it says how far it has got (the first pass,
// the site build's pages) and ends with one ready line naming the URL, the requests and their first and last day,
// once the page at that URL is the real overview.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assistantLine } from '../../../test/fixtures/fixture-lines.ts';
import { freePort } from '../../stack/free-port.ts';

const BIN = join(import.meta.dirname, '../../../bin/ctm.js');
const cleanup: (() => void)[] = [];

afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

interface Entry {
  msg: string;
  [field: string]: unknown;
}

describe('ctm start, first run', () => {
  it('logs the build progress and ends with the ready line once the overview is served', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ctm-first-run-'));
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    const project = join(root, 'claude', 'projects', '-home-me-repo');
    mkdirSync(project, { recursive: true });
    const times = ['2026-03-02T10:00:00Z', '2026-03-02T11:00:00Z', '2026-05-20T09:30:00Z'];
    writeFileSync(
      join(project, 's.jsonl'),
      times.map((timestamp, i) => assistantLine({ id: `m${i}`, timestamp, sessionId: 's' })).join('\n') +
        '\n',
    );
    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, [BIN, 'start'], {
      env: {
        ...process.env,
        CTM_CLAUDE_DIR: join(root, 'claude'),
        CTM_DATA_DIR: join(root, 'data'),
        CTM_PORT: String(port),
        CTM_TZ: 'UTC',
        CTM_REBUILD_CRON: 'off',
        CTM_SNAPSHOT_CRON: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanup.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const entries = (): Entry[] =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Entry);

    const end = Date.now() + 90_000;
    while (!entries().some((e) => e.msg.startsWith('ready: '))) {
      if (child.exitCode !== null) throw new Error(`ctm start exited ${child.exitCode}:\n${out}`);
      if (Date.now() > end) throw new Error(`no ready line after 90 s:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // The line is said once what it points at is there.
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Overview');
    // Its pages hold what the first pass read, though the build began before the pass ended.
    for (const day of ['2026-03-02', '2026-05-20'])
      expect((await fetch(`http://127.0.0.1:${port}/days/${day}/`)).status).toBe(200);

    const log = entries();
    const msgs = log.map((e) => e.msg);
    const order = ['listening', 'building site', 'rendering pages', 'site published'];
    const at = order.map((m) => msgs.indexOf(m));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // The first build compiles while the first pass reads, but renders only what that pass put in the index.
    const passAt = msgs.indexOf('first ingest pass finished');
    expect(passAt).toBeGreaterThan(msgs.indexOf('listening'));
    expect(passAt).toBeLessThan(msgs.indexOf('rendering pages'));
    const published = log.find((e) => e.msg === 'site published')!;
    expect(log.find((e) => e.msg === 'rendering pages')).toMatchObject({ pages: published.pages });
    expect(log.find((e) => e.msg === 'first ingest pass finished')).toMatchObject({ newMessages: 3 });
    const ready = msgs.filter((m) => m.startsWith('ready: '));
    expect(ready).toEqual([`ready: http://127.0.0.1:${port}/ — 3 requests, 2026-03-02 … 2026-05-20`]);
    expect(msgs.indexOf(ready[0]!)).toBeGreaterThan(msgs.indexOf('site published'));
  }, 120_000);
});
