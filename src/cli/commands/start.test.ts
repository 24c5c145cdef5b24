// `ctm start` as a real process: JSON logs, clean SIGTERM (exit 0, WAL checkpointed), kill -9 and restart
// losing nothing and counting nothing twice, one-line configuration errors with exit code 2.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { liveFixture, type LiveFixture } from '../../../test/fixtures/live-fixture.ts';

const BIN = join(import.meta.dirname, '../../../bin/ctm.js');
const fixtures: LiveFixture[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const f of fixtures.splice(0)) f.remove();
});

function env(fx: LiveFixture, port: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CTM_CLAUDE_DIR: fx.claudeDir,
    CTM_DATA_DIR: fx.dataDir,
    CTM_PORT: String(port),
    CTM_TZ: 'UTC',
    CTM_REBUILD_CRON: 'off',
    CTM_SNAPSHOT_CRON: 'off',
  };
}

function start(fx: LiveFixture, port: number): { child: ChildProcess; out: () => string } {
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: env(fx, port),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, out: () => out };
}

async function messages(port: number): Promise<number | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
    return ((await res.json()) as { db: { messages: number } }).db.messages;
  } catch {
    return undefined;
  }
}

async function until(fn: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const exited = (c: ChildProcess) =>
  new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    c.once('exit', (code, signal) => resolve({ code, signal })),
  );

const port = () => 20000 + Math.floor(Math.random() * 30000);

describe('ctm start (process)', () => {
  it('logs JSON lines and exits 0 within 10 s on SIGTERM, with the WAL checkpointed', async () => {
    const fx = liveFixture(10);
    fixtures.push(fx);
    fx.publishSite();
    const p = port();
    const { child, out } = start(fx, p);
    await until(async () => (await messages(p)) === 10);
    fx.append(5);
    await until(async () => (await messages(p)) === 15);
    const t0 = Date.now();
    const done = exited(child);
    child.kill('SIGTERM');
    const { code } = await done;
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    const wal = join(fx.dataDir, 'ctm.db-wal');
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
    const lines = out()
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines)
      expect(JSON.parse(line)).toMatchObject({ time: expect.any(String), level: expect.any(String) });
    expect(out()).toContain('"msg":"stopped"');
  });

  it('kill -9 during appends, then restart: nothing lost, nothing counted twice', async () => {
    const fx = liveFixture(0);
    fixtures.push(fx);
    fx.publishSite();
    const p = port();
    const first = start(fx, p);
    await until(async () => (await messages(p)) === 0);
    for (let i = 0; i < 20; i++) {
      fx.append(10);
      await new Promise((r) => setTimeout(r, 15));
    }
    const died = exited(first.child);
    first.child.kill('SIGKILL');
    await died;
    fx.append(50); // written while the monitor is down
    const second = start(fx, p);
    await until(async () => (await messages(p)) === fx.count);
    const metrics = await (await fetch(`http://127.0.0.1:${p}/metrics`)).text();
    expect(metrics).toContain(`\nctm_messages_total ${fx.count}\n`);
    const live = (await (await fetch(`http://127.0.0.1:${p}/api/v1/live`)).json()) as {
      today: { totalTokens: number };
    };
    expect(live.today.totalTokens).toBe(fx.count * fx.tokensPerLine);
    const done = exited(second.child);
    second.child.kill('SIGTERM');
    expect((await done).code).toBe(0);
    const db = new Database(join(fx.dataDir, 'ctm.db'), { readonly: true });
    const row = db.prepare('SELECT count(*) AS n, count(DISTINCT message_id) AS d FROM usage').get() as {
      n: number;
      d: number;
    };
    db.close();
    expect(row).toEqual({ n: fx.count, d: fx.count });
    expect(fx.count).toBe(250);
  });

  it.each([
    ['CTM_PORT', 'abc'],
    ['CTM_PORT', '70000'],
    ['CTM_REBUILD_CRON', 'every hour'],
    ['CTM_LOG_LEVEL', 'loud'],
    ['CTM_TZ', 'Mars/Base'],
    ['CTM_PRICING_FILE', '/nonexistent'],
    ['CTM_HOST', 'no-such-host.invalid'],
    ['CTM_HOST', 'http://localhost'],
    ['CTM_ALLOWED_HOSTS', 'https://ctm.example.org'],
    ['CTM_WEEK_START', 'someday'],
  ])('%s=%s: one line naming the variable, exit 2', (name, value) => {
    const fx = liveFixture(0);
    fixtures.push(fx);
    const r = spawnSync(process.execPath, [BIN, 'start'], {
      env: { ...env(fx, port()), [name]: value },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
  });

  it('an address not of this machine: one line naming CTM_HOST, exit 2', () => {
    const fx = liveFixture(0);
    fixtures.push(fx);
    const r = spawnSync(process.execPath, [BIN, 'start'], {
      env: { ...env(fx, port()), CTM_HOST: '192.0.2.1' }, // TEST-NET-1: never assigned
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^ctm: CTM_HOST: 192\.0\.2\.1 is not an address of this machine/);
  });

  it('a port already in use: one line naming CTM_PORT, exit 2', async () => {
    const fx = liveFixture(0);
    fixtures.push(fx);
    fx.publishSite();
    const p = port();
    start(fx, p);
    await until(async () => (await messages(p)) !== undefined);
    const r = spawnSync(process.execPath, [BIN, 'start'], {
      env: env(fx, p),
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('CTM_PORT');
  });
});
