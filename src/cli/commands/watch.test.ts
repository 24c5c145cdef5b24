// `ctm watch` in a real terminal: tmux runs it in an 80×24 pane, capture-pane reads the screen, send-keys
// presses q. Also through a pipe, where it prints plain lines. The index is written by the real ingester from
// a fixture transcript near "now", the official limits by the real `ctm statusline`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assistantLine } from '../../../test/fixtures/fixture-lines.ts';
import { fixtureTree, testIndex, type FixtureTree } from '../../../test/fixtures/fixture-tree.ts';
import { statusDocument } from '../../../test/fixtures/status-document.ts';
import { ctmBin, node24 } from '../../../test/fixtures/run-ctm.ts';

let tree: FixtureTree;
let dataDir: string;
const session = `ctm-watch-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', session).replace(/\n$/, '').split('\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const env = () => ({ PATH: process.env.PATH, TZ: 'UTC', CTM_DATA_DIR: dataDir, CTM_TZ: 'UTC' });

/** Polls the pane until `test` holds (the first frame needs Node's start), failing after `ms`. */
async function until(test: (lines: string[]) => boolean, ms = 8000): Promise<string[]> {
  const end = Date.now() + ms;
  for (;;) {
    const lines = screen();
    if (test(lines)) return lines;
    if (Date.now() > end) throw new Error(`screen never matched:\n${lines.join('\n')}`);
    await sleep(100);
  }
}

beforeAll(() => {
  tree = fixtureTree();
  dataDir = join(tree.root, 'data');
  const now = Date.now();
  tree.write(
    '-home-dev-app/s1.jsonl',
    Array.from({ length: 15 }, (_, i) =>
      assistantLine({
        id: `msg_w${i}`,
        sessionId: 's1',
        timestamp: new Date(now - (30 - i) * 60_000).toISOString(),
        model: i % 3 ? 'claude-sonnet-4-5-20250929' : 'claude-opus-4-5-20251101',
        input: 100 + i,
        output: 500,
        cacheRead: 20_000,
        costUSD: 0.01,
      }),
    ),
  );
  const index = testIndex([tree.claudeDir], dataDir);
  index.ingester.pass();
  index.close();
  const s = Math.floor(now / 1000);
  const r = spawnSync(node24, [ctmBin, 'statusline'], {
    input: JSON.stringify(
      statusDocument({
        sessionId: 's1',
        fiveHour: { used: 93, resetsAt: s + 3600 },
        sevenDay: { used: 40, resetsAt: s + 3 * 86400 },
      }),
    ),
    env: env(),
  });
  expect(r.status).toBe(0);
});

afterAll(() => {
  spawnSync('tmux', ['kill-session', '-t', session]);
  tree.remove();
});

describe('ctm watch', () => {
  it('in an 80×24 terminal: block, gauge, limits, today, last requests; refreshes each second; q quits', async () => {
    const command = [node24, ctmBin, 'watch'].map((a) => `'${a}'`).join(' ');
    // A token limit of its own: the fixture has no completed block to take "max" from.
    const envs = Object.entries({ ...env(), CTM_TOKEN_LIMIT: '1000000' }).map(([k, v]) => `${k}='${v}'`);
    // Its exit status goes to a file: tmux does not always know a dead pane's status yet.
    const status = join(tree.root, 'watch-status');
    tmux(
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '80',
      '-y',
      '24',
      `env ${envs.join(' ')} ${command}; echo $? > '${status}'`,
    );
    // The pane stays after the command ends, to read its last screen and exit status.
    tmux('set-option', '-t', session, 'remain-on-exit', 'on');
    const first = await until((l) => l.some((x) => x.startsWith('Last requests')));
    expect(first).toHaveLength(24);
    expect(first.every((l) => [...l].length <= 80)).toBe(true);
    expect(first[0]).toMatch(/^ctm watch · \d\d:\d\d:\d\d UTC +q quits$/);
    expect(first[0]!.length).toBe(80);
    expect(first).toContainEqual(expect.stringMatching(/^Active block \d\d:00–\d\d:00 · .* left$/));
    expect(first).toContainEqual(expect.stringMatching(/^█+░+  30\.9 % of 1,000,000$/));
    expect(first).toContainEqual(expect.stringMatching(/^[\d,]+ tokens · \$0\.15 · [\d,]+ tokens\/min · /));
    expect(first).toContainEqual(
      expect.stringMatching(/^Official limits 5h 93 %, resets \d\d:\d\d · 7d 40 %, resets \w{3} \d\d:\d\d$/),
    );
    expect(first).toContainEqual(
      expect.stringMatching(/^Today \d{4}-\d\d-\d\d [\d,]+ tokens · \$[\d.]+ · \d+ requests$/),
    );
    const header = first.findIndex((l) => l.startsWith('time '));
    expect(first[header + 1]).toMatch(/^\d\d:\d\d:\d\d (sonnet|opus)-4-5 +[\d,]+ /);
    expect(first[23]).toMatch(/^last ingest \d\d:\d\d:\d\d$/);

    const clock = first[0]!.slice(12, 20);
    await until((l) => l[0]!.slice(12, 20) !== clock, 3000);

    // A wider terminal: redrawn to its width at once.
    tmux('resize-window', '-t', session, '-x', '120', '-y', '30');
    const wide = await until((l) => l.length === 30 && l[0]!.length === 120, 3000);
    expect(wide[0]).toMatch(/ q quits$/);

    tmux('send-keys', '-t', session, 'q');
    const end = Date.now() + 3000;
    while (!existsSync(status) && Date.now() < end) await sleep(50);
    expect(readFileSync(status, 'utf8')).toBe('0\n');
    // The alternate screen is left: the terminal shows what it showed before, not the view.
    expect(screen().join('\n')).not.toContain('Last requests');
  });

  it('through a pipe: one plain line a second, no escape codes', async () => {
    const child = spawn(node24, [ctmBin, 'watch'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    const end = Date.now() + 8000;
    while (out.split('\n').length < 3 && Date.now() < end) await sleep(100);
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.on('exit', r));
    const lines = out.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) {
      expect(l).toMatch(
        /^\d\d:\d\d:\d\d · block \d\d:00–\d\d:00 [\d,]+ tokens \$0\.15, .* · 5h 93 %, resets \d\d:\d\d · 7d 40 %, resets \w{3} \d\d:\d\d · today \$[\d.]+ [\d,]+ tokens$/,
      );
    }
    expect(out).not.toContain('\x1b');
    expect({ code, err }).toEqual({ code: 0, err: '' });
  });

  it('no index: one line saying where it should be, exit 2', () => {
    const r = spawnSync(node24, [ctmBin, 'watch', '--once'], {
      env: { ...env(), CTM_DATA_DIR: join(tree.root, 'none') },
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `ctm: no index at ${join(tree.root, 'none', 'ctm.db')}; run \`ctm ingest\` (or \`ctm start\`) first\n`,
    );
  });
});
