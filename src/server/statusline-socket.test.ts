// bin/ctm-statusline as Claude Code runs it (through /bin/sh, the document on stdin), with `ctm start` up:
// the line comes from the server's socket and is the line `ctm statusline` makes itself; the history is
// recorded once however many sessions call at once; with the server gone, a left-over socket file or no
// curl, the script makes the line with `ctm statusline`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../log.ts';
import { ctmBin, node24, repoRoot } from '../../test/fixtures/run-ctm.ts';
import { openLimitsReader } from '../db/limits/open-limits.ts';
import { statusDocument } from '../../test/fixtures/status-document.ts';
import { startServer, type RunningServer } from './start-server.ts';
import { statuslineSocketPath } from './statusline-socket.ts';
import { liveFixture, serverConfig, type LiveFixture } from '../../test/fixtures/live-fixture.ts';

const script = join(repoRoot, 'bin', 'ctm-statusline');
let fx: LiveFixture;
let server: RunningServer | null;
const resets = Math.floor(Date.now() / 1000) + 3600;

const doc = (five = 41, sessionId = 'session-live') =>
  JSON.stringify(
    statusDocument({
      sessionId,
      transcriptPath: fx.transcript,
      fiveHour: { used: five, resetsAt: resets },
      sevenDay: { used: 63, resetsAt: resets + 3 * 86400 },
    }),
  );

interface Run {
  code: number | null;
  out: string;
  err: string;
  ms: number;
}

/** The script through the shell, as settings.json's command is run; PATH without node when asked. */
function viaScript(input: string, args: string[] = [], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn('/bin/sh', ['-c', `'${script}' "$@"`, 'sh', ...args], {
      env: { PATH: '/usr/bin:/bin', CTM_DATA_DIR: fx.dataDir, CTM_TZ: 'UTC', CTM_NODE: node24, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    child.on('close', (code) => resolve({ code, out, err, ms: Date.now() - started }));
    child.stdin.end(input);
  });
}

function inProcess(input: string, args: string[] = [], env: Record<string, string> = {}): string {
  const r = spawnSync(node24, [ctmBin, 'statusline', ...args], {
    input,
    env: { PATH: process.env.PATH, CTM_DATA_DIR: fx.dataDir, CTM_TZ: 'UTC', ...env },
    encoding: 'utf8',
  });
  return r.stdout;
}

const rows = () => {
  const db = openLimitsReader(fx.dataDir)!;
  try {
    return db.prepare('SELECT window_name, used_percentage FROM rate_limits ORDER BY id').raw().all();
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  fx = liveFixture(3);
  const config = serverConfig(fx);
  server = await startServer(config, silentLogger);
  await server.firstPass;
});

afterAll(async () => {
  await server?.close();
  fx?.remove();
});

describe('the status-line socket', () => {
  it('is a socket only its user may open', () => {
    const st = statSync(statuslineSocketPath(fx.dataDir));
    expect(st.isSocket()).toBe(true);
    expect(st.mode & 0o777).toBe(0o600);
  });

  it.each([
    [[], {}],
    [['--format', 'model,session,5h', '--color'], {}],
    [['--no-color'], { CTM_STATUSLINE_FORMAT: 'today 7d ctx', CTM_STATUSLINE_COLOR: 'on' }],
    [[], { CTM_STATUSLINE_COLOR: 'on', NO_COLOR: '1', CTM_STATUSLINE_THRESHOLDS: '30,40' }],
    [[], { CTM_STATUSLINE_COLOR: 'yes' }],
  ])('answers %j %j with the line ctm statusline makes itself', async (args, env) => {
    // Without the block part, whose minutes left may tick between the two calls.
    const e = { CTM_STATUSLINE_FORMAT: 'model,session,today,5h,7d,spend,ctx', ...env };
    const r = await viaScript(doc(), args, e);
    expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
    expect(r.out).toBe(inProcess(doc(), args, e));
    expect(r.out).toMatch(/5h 41%|today \$|model/);
  });

  it('the line comes from the server: with no Node to fall back on it still comes', async () => {
    const r = await viaScript(doc(), ['--format', '5h'], { CTM_NODE: '/bin/false' });
    expect(r).toMatchObject({
      code: 0,
      err: '',
      out: expect.stringMatching(/^5h 41% \(resets \d\d:\d\d\)\n$/),
    });
  });

  it('records the readings in the server: once, however often they come', async () => {
    const before = rows().length;
    await viaScript(doc(50));
    await viaScript(doc(50));
    await viaScript(doc(51));
    expect(rows().slice(before)).toEqual([
      ['five_hour', 50],
      ['five_hour', 51],
    ]);
  });

  it('ten sessions at once: every line, every new reading once, each call well within the second', async () => {
    const before = rows().length;
    const runs = await Promise.all(Array.from({ length: 10 }, (_, i) => viaScript(doc(60 + i, `s-${i}`))));
    for (const r of runs) {
      expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
      expect(r.out).toMatch(/ · 5h 6\d% /);
      expect(r.ms).toBeLessThan(1000);
    }
    expect(
      rows()
        .slice(before)
        .map((x) => (x as [string, number])[1])
        .sort(),
    ).toEqual(Array.from({ length: 10 }, (_, i) => 60 + i));
  });

  it('an option only ctm statusline knows goes to it', async () => {
    const r = await viaScript(doc(), ['--frmat', 'x']);
    expect(r.out).toContain('ctm: statusline: unknown option --frmat');
  });

  it('without curl the script makes the line itself', async () => {
    // A PATH with what the script needs besides curl.
    const bin = join(fx.root, 'no-curl-bin');
    mkdirSync(bin);
    for (const tool of ['cat', 'timeout', 'dirname']) {
      const found = spawnSync('/bin/sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      symlinkSync(found, join(bin, tool));
    }
    const r = await viaScript(doc(), [], { PATH: join(fx.root, 'no-curl-bin'), CTM_STATUSLINE_FORMAT: '5h' });
    expect(r).toMatchObject({
      code: 0,
      err: '',
      out: expect.stringMatching(/^5h 41% \(resets \d\d:\d\d\)\n$/),
    });
  });

  it('with the server stopped the socket is gone and the line still comes; a left-over file is ignored', async () => {
    await server!.close();
    server = null;
    const sock = statuslineSocketPath(fx.dataDir);
    expect(existsSync(sock)).toBe(false);
    const r = await viaScript(doc(), [], { CTM_STATUSLINE_FORMAT: '5h,today' });
    expect(r).toMatchObject({ code: 0, err: '', out: expect.stringMatching(/^5h 41% .* · today \$/) });
    writeFileSync(sock, '');
    const stale = await viaScript(doc(), [], { CTM_STATUSLINE_FORMAT: '5h' });
    expect(stale.out).toMatch(/^5h 41%/);
    rmSync(sock);
  });
});
