// `ctm start`'s first minute as a real process on a fresh data dir: it says how far it has got (the first pass,
// the site build's pages) and ends with one ready line naming the URL, the requests and their first and last day,
// once the page at that URL is the real overview.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { assistantLine } from '../../../test/fixtures/fixture-lines.ts';
import { generateTree } from '../../../test/fixtures/generate-tree.ts';
import { freePort } from '../../stack/free-port.ts';
import { openDb } from '../../db/open.ts';

const BIN = join(import.meta.dirname, '../../../bin/ctm.js');
const cleanup: (() => void)[] = [];

afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

interface Entry {
  msg: string;
  [field: string]: unknown;
}

/** `ctm start` on the data dir `<root>/data`, reading `claude`, cron jobs off; its output as it comes. */
function startCtm(root: string, claude: string, port: number, env: Record<string, string> = {}) {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'start'], {
    env: {
      ...process.env,
      CTM_CLAUDE_DIR: claude,
      CTM_DATA_DIR: join(root, 'data'),
      CTM_PORT: String(port),
      CTM_TZ: 'UTC',
      CTM_REBUILD_CRON: 'off',
      CTM_SNAPSHOT_CRON: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanup.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  const seen = { out: '' };
  child.stdout!.on('data', (d: Buffer) => (seen.out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (seen.out += d.toString()));
  const end = Date.now() + 90_000;
  const until = async (done: () => boolean, what: string, everyMs: number): Promise<void> => {
    while (!done()) {
      if (child.exitCode !== null) throw new Error(`ctm start exited ${child.exitCode}:\n${seen.out}`);
      if (Date.now() > end) throw new Error(`no ${what} after 90 s:\n${seen.out}`);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  };
  const data = join(root, 'data');
  const partial = (): boolean => {
    try {
      return readdirSync(data).some((f) => f.includes('.partial-'));
    } catch {
      return false; // the data dir is not made yet
    }
  };
  return {
    child,
    seen,
    /** Until ctm start has printed `text`. */
    waitFor: (text: string) => until(() => seen.out.includes(text), `"${text}"`, 5),
    /** Until the first pass's index of its own is there (the index itself is not yet). */
    waitForPartial: () => until(partial, 'partial index', 2),
  };
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
    const { child, seen } = startCtm(root, join(root, 'claude'), port);
    const entries = (): Entry[] =>
      seen.out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Entry);

    const end = Date.now() + 90_000;
    while (!entries().some((e) => e.msg.startsWith('ready: '))) {
      if (child.exitCode !== null) throw new Error(`ctm start exited ${child.exitCode}:\n${seen.out}`);
      if (Date.now() > end) throw new Error(`no ready line after 90 s:\n${seen.out}`);
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

  it('builds its first index apart, puts it in place whole, and catches a transcript written meanwhile', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ctm-first-run-'));
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    const claude = join(root, 'claude');
    // Big enough for the first pass to report progress (every 200 ms) before it ends.
    const totals = generateTree({ root: claude, targetBytes: 120e6, days: 60, projects: 8, sessions: 400 });
    const port = await freePort();
    // No rescan comes to the rescue: what catches the late transcript is the pass after the first.
    const { seen, waitFor, waitForPartial } = startCtm(root, claude, port, { CTM_RESCAN_SECONDS: '3600' });
    // The first pass builds its index in a file of its own; the index itself is not there yet.
    const data = join(root, 'data');
    await waitForPartial();
    expect(readdirSync(data)).not.toContain('ctm.db');
    // The pass has found its files within this (it takes ~0.6 s in all, finding them ~30 ms)...
    await new Promise((r) => setTimeout(r, 150));
    // ...and a new session's transcript appears after the pass has found its files.
    const late = join(claude, 'projects', '-home-me-late');
    mkdirSync(late, { recursive: true });
    writeFileSync(
      join(late, 'late.jsonl'),
      assistantLine({ id: 'late-msg', timestamp: '2026-11-01T12:00:00Z', sessionId: 'late' }) + '\n',
    );
    await waitFor('"msg":"ready: ');
    const files = readdirSync(join(root, 'data'));
    expect(files.filter((f) => f.includes('.partial-'))).toEqual([]);
    const db = new Database(join(root, 'data', 'ctm.db'), { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const late = db.prepare("SELECT count(*) FROM usage WHERE message_id = 'late-msg'").pluck();
      const caught = Date.now() + 5000;
      while (late.get() !== 1) {
        if (Date.now() > caught) throw new Error(`the late transcript was not indexed:\n${seen.out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const count = db.prepare('SELECT count(*) FROM usage').pluck().get();
      expect(count).toBe(totals.messages + 1);
      const first = seen.out.match(/"msg":"first ingest pass finished","newMessages":(\d+)/)?.[1];
      console.log(
        `first pass: ${first} new rows (the tree: ${totals.messages} requests); then the late transcript`,
      );
    } finally {
      db.close();
    }
  }, 120_000);

  it('a first start whose index another writer made meanwhile reads everything into that one', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ctm-first-run-'));
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    const claude = join(root, 'claude');
    const totals = generateTree({ root: claude, targetBytes: 60e6, days: 30, projects: 6, sessions: 200 });
    const port = await freePort();
    const { seen, waitFor, waitForPartial } = startCtm(root, claude, port, { CTM_RESCAN_SECONDS: '3600' });
    const data = join(root, 'data');
    await waitForPartial();
    // Another writer makes the index while the first pass builds its own (an empty one, as `ctm check` would).
    openDb(join(data, 'ctm.db')).close();
    await waitFor('"msg":"ready: ');
    expect(seen.out).toContain(
      `"msg":"ready: http://127.0.0.1:${port}/ — ${totals.messages.toLocaleString('en-US')} requests`,
    );
    expect(seen.out).toContain('another writer made the index during the first pass');
    expect(readdirSync(data).filter((f) => f.includes('.partial-'))).toEqual([]);
    const db = new Database(join(data, 'ctm.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM usage').pluck().get()).toBe(totals.messages);
      expect(db.prepare('SELECT count(DISTINCT key) FROM messages').pluck().get()).toBe(
        db.prepare('SELECT count(*) FROM messages').pluck().get(),
      );
    } finally {
      db.close();
    }
  }, 120_000);
});
