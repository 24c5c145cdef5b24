// `ctm statusline` as Claude Code runs it: a real process, its JSON document on stdin, a real index written
// by the real ingester from a fixture transcript, and lines appended after the pass that only the
// transcript's tail holds. Every call must exit 0 with one line on stdout and nothing on stderr.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assistantLine } from '../../../test/fixtures/fixture-lines.ts';
import { fixtureTree, testIndex, tempDir, type FixtureTree } from '../../../test/fixtures/fixture-tree.ts';
import { holdExclusiveLock } from '../../../test/fixtures/hold-lock.ts';
import { openLimitsReader } from '../../db/limits/open-limits.ts';
import { loadPricing } from '../../pricing/load-pricing.ts';
import { requestCost } from '../../pricing/request-cost.ts';
import { statusDocument, type DocumentOptions } from '../../../test/fixtures/status-document.ts';
import { ctmBin, node24, repoRoot } from '../../../test/fixtures/run-ctm.ts';

const SESSION = 'c0ffee00-5e55-4000-8000-000000000001';
const REL = `-home-dev-app/${SESSION}.jsonl`;
let tree: FixtureTree;
let dataDir: string;
let transcript: string;
const now = Date.now();
const ago = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
const line = (id: string, minutes: number, costUSD?: number) =>
  assistantLine({
    id,
    timestamp: ago(minutes),
    sessionId: SESSION,
    model: 'claude-sonnet-4-5-20250929',
    input: 1000,
    output: 500,
    cacheRead: 20_000,
    ...(costUSD !== undefined ? { costUSD } : {}),
  });

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(
  input: string | Record<string, unknown>,
  args: string[] = [],
  env: Record<string, string> = {},
): Run {
  const started = Date.now();
  const r = spawnSync(node24, [ctmBin, 'statusline', ...args], {
    input: typeof input === 'string' ? input : JSON.stringify(input),
    env: { PATH: process.env.PATH, TZ: 'UTC', CTM_DATA_DIR: dataDir, CTM_TZ: 'UTC', ...env },
    encoding: 'utf8',
    cwd: tree.root,
    timeout: 5000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

/** The one line, after checking the call behaved as Claude Code needs. */
function lineOf(r: Run): string {
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  expect(r.stdout.endsWith('\n')).toBe(true);
  expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
  expect(r.ms).toBeLessThan(1000);
  return r.stdout.trimEnd();
}

const doc = (o: DocumentOptions = {}) =>
  statusDocument({ sessionId: SESSION, transcriptPath: transcript, ...o });
const resets = Math.floor(now / 1000) + 7200;
const weekly = resets + 3 * 86400;

beforeAll(() => {
  tree = fixtureTree();
  dataDir = join(tree.root, 'data');
  // Two responses indexed (one written as two content-block lines), then one only the transcript has.
  transcript = tree.write(REL, [line('msg_a', 3, 0.5), line('msg_b', 2, 0.25), line('msg_b', 2, 0.25)]);
  const index = testIndex([tree.claudeDir], dataDir);
  index.ingester.pass();
  index.close();
  tree.append(REL, [line('msg_c', 1, 0.125)]);
});

afterAll(() => tree.remove());

describe('ctm statusline', () => {
  it('session, today and block from the index plus the unindexed tail; the limits; the context', () => {
    const l = lineOf(
      run(
        doc({
          modelId: 'claude-opus-4-5-20251101',
          fiveHour: { used: 41, resetsAt: resets },
          sevenDay: { used: 63, resetsAt: weekly },
        }),
      ),
    );
    const reset = new Date(resets * 1000).toISOString().slice(11, 16);
    expect(l).toMatch(
      new RegExp(
        `^opus-4-5 · session \\$0\\.88 · today \\$0\\.88 · block \\$0\\.88, \\d+h\\d+m left, [\\d.]+k tok/min · ` +
          `5h 41% \\(resets ${reset}\\) · 7d 63% · ctx 38%$`,
      ),
    );
  });

  it('a response copied into the tail that the index already holds counts once', () => {
    tree.append(REL, [line('msg_a', 3, 0.5)]);
    expect(lineOf(run(doc(), ['--format', 'session']))).toBe('session $0.88');
  });

  it('prices a tail request without a logged cost from the price table', () => {
    const dir = tempDir('ctm-sl-calc-');
    try {
      const t = fixtureTree(dir);
      const path = t.write('-p/s.jsonl', [
        assistantLine({ id: 'msg_x', timestamp: ago(1), sessionId: 's-calc', input: 1000, output: 500 }),
      ]);
      const index = testIndex([t.claudeDir], join(dir, 'data'));
      index.close(); // an index that has never read this transcript: all of it is tail
      const expected = requestCost(loadPricing(), {
        model: 'claude-sonnet-4-5-20250929',
        ts: now,
        speed: null,
        geo: null,
        input: 1000,
        output: 500,
        cacheWrite5m: 0,
        cacheWrite1h: 0,
        cacheRead: 0,
        webSearchRequests: 0,
      })!;
      const r = run(statusDocument({ sessionId: 's-calc', transcriptPath: path }), ['--format', 'session'], {
        CTM_DATA_DIR: join(dir, 'data'),
      });
      expect(lineOf(r)).toBe(`session $${expected.toFixed(2)}`);
      // A FIFO as the price file is refused at once: the line comes, saying so, instead of a hang.
      const fifo = join(dir, 'prices.fifo');
      execFileSync('mkfifo', [fifo]);
      const env = { CTM_DATA_DIR: join(dir, 'data'), CTM_PRICING_FILE: fifo };
      const doc = statusDocument({ sessionId: 's-calc', transcriptPath: path });
      expect(lineOf(run(doc, ['--format', 'session'], env))).toBe(
        `session $0.00 · ctm: CTM_PRICING_FILE: cannot read ${fifo} (not a regular file)`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('records the limits only when they change, and shows the last reading when the input has none', () => {
    const history = () => {
      const db = openLimitsReader(dataDir)!;
      try {
        return db.prepare('SELECT window_name, used_percentage FROM rate_limits ORDER BY id').raw().all();
      } finally {
        db.close();
      }
    };
    const before = history().length;
    const d = doc({
      fiveHour: { used: 55, resetsAt: resets },
      sevenDay: { used: 70, resetsAt: weekly },
    });
    lineOf(run(d));
    lineOf(run(d));
    expect(history().slice(before)).toEqual([
      ['five_hour', 55],
      ['seven_day', 70],
    ]);
    lineOf(run(doc({ fiveHour: { used: 56, resetsAt: resets }, sevenDay: { used: 70, resetsAt: weekly } })));
    expect(history().slice(before + 2)).toEqual([['five_hour', 56]]);
    // API-key sessions and the first call of a session carry no rate_limits: the history's reading, marked.
    expect(lineOf(run(doc(), ['--format', '5h,7d']))).toMatch(/^5h ~56% \(resets \d\d:\d\d\) · 7d ~70%$/);
  });

  it('a window whose reset has passed is neither shown nor recorded', () => {
    const dir = tempDir('ctm-sl-past-');
    try {
      const past = Math.floor(now / 1000) - 86400 + 120;
      const r = run(
        doc({ fiveHour: { used: 97, resetsAt: past }, sevenDay: { used: 63, resetsAt: weekly } }),
        ['--format', '5h,7d'],
        { CTM_DATA_DIR: dir },
      );
      expect(lineOf(r)).toBe(`7d 63% · ctm: no index at ${join(dir, 'ctm.db')} (run \`ctm ingest\`)`);
      const db = openLimitsReader(dir)!;
      try {
        expect(db.prepare('SELECT window_name FROM rate_limits').pluck().all()).toEqual(['seven_day']);
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a gateway spend limit, with and without its dollars', () => {
    const spend = (o: Partial<NonNullable<DocumentOptions['spendLimit']>>) =>
      lineOf(
        run(doc({ spendLimit: { used: 8.2, resetsAt: resets + 86400 * 20, ...o } }), ['--format', 'spend']),
      );
    expect(spend({ usedUsd: 16.29, limitUsd: 200, period: 'monthly' })).toBe('spend $16.29/$200.00 8%');
    expect(spend({ used: 104 })).toBe('spend 104%');
  });

  it.each([
    ['empty', '', /^today \$[\d.]+ · block .* · ctm: no status input on stdin$/],
    ['truncated', JSON.stringify(statusDocument()).slice(0, 120), /ctm: status input is not whole JSON$/],
    ['not JSON', 'hello', /ctm: status input is not whole JSON$/],
    ['an array', '[]', /ctm: status input is not a JSON object$/],
    ['unknown fields only', '{"what":1}', /^today \$[\d.]+ · block /],
  ])('%s input still gives a line', (_, input, pattern) => {
    expect(lineOf(run(input))).toMatch(pattern);
  });

  it('a huge cost in the document is a short figure', () => {
    expect(lineOf(run('{"cost":{"total_cost_usd":1e300}}', ['--format', 'session']))).toBe(
      'session $1.0e+300 (Claude Code)',
    );
  });

  it('a truncated document still finds its session', () => {
    const text = JSON.stringify(doc());
    const cut = text.slice(0, text.indexOf('"cwd"'));
    expect(lineOf(run(cut, ['--format', 'session']))).toMatch(/^session \$[\d.]+ · ctm: status input/);
  });

  it("no index: the input's parts and where the index should be", () => {
    const l = lineOf(
      run(doc({ fiveHour: { used: 12, resetsAt: resets } }), [], { CTM_DATA_DIR: join(tree.root, 'none') }),
    );
    expect(l).toMatch(/^sonnet|^opus/);
    expect(l).toContain('session $1.42 (Claude Code)');
    expect(l).toContain('5h 12%');
    expect(l).toContain(`ctm: no index at ${join(tree.root, 'none', 'ctm.db')} (run \`ctm ingest\`)`);
  });

  it('a locked index: a line within the second, saying so', async () => {
    const holder = await holdExclusiveLock(join(dataDir, 'ctm.db'));
    try {
      const r = run(doc({ fiveHour: { used: 12, resetsAt: resets } }), ['--format', 'model,session,5h']);
      expect(lineOf(r)).toMatch(
        /^opus-4-5 · session \$1\.42 \(Claude Code\) · 5h 12% \(resets \d\d:\d\d\) · ctm: index busy, try again$/,
      );
    } finally {
      await holder.release();
    }
  });

  it('a missing transcript, or a directory: the index alone, and a note', () => {
    const l = lineOf(run(doc({ transcriptPath: join(tree.root, 'gone.jsonl') }), ['--format', 'session']));
    expect(l).toBe('session $0.75 · ctm: transcript not found');
    // A directory is no transcript either: the index's figures stay (they were dropped as "index unreadable").
    const dir = lineOf(run(doc({ transcriptPath: tree.root }), ['--format', 'session']));
    expect(dir).toBe('session $0.75 · ctm: transcript not found');
  });

  it.each([
    [{ CTM_TZ: 'Mars/Base' }, [], 'ctm: CTM_TZ: unknown timezone "Mars/Base"'],
    [{ CTM_STATUSLINE_FORMAT: 'model,cost' }, [], 'ctm: CTM_STATUSLINE_FORMAT: unknown part "cost"'],
    [{}, ['--frmat', 'x'], 'ctm: statusline: unknown option --frmat'],
  ])('a bad setting %j %j is a note, not an exit', (env, args, note) => {
    expect(lineOf(run(doc(), args, env))).toContain(note);
  });

  it('text from stdin and settings reaches the terminal escaped, on one line, cut to a sane length', () => {
    const evil = 'claude-\u001b[2J\u001b]0;pwned\u0007evil\nSECOND LINE\rX\u009b31m\u202e';
    expect(lineOf(run(doc({ modelId: evil }), ['--format', 'model']))).toBe(
      '\\x1b[2J\\x1b]0;pwned\\x07evil\\x0aSECOND LINE\\x0dX\\x9b31m\\u202e',
    );
    expect(lineOf(run(doc({ modelId: 'x'.repeat(1 << 16) }), ['--format', 'model']))).toBe(
      `${'x'.repeat(63)}…`,
    );
    const l = lineOf(run(doc(), ['--format', 'model'], { CTM_TZ: 'Mars\u001b[2J\nX' }));
    expect(l).toContain('ctm: CTM_TZ: unknown timezone "Mars\\x1b[2J\\x0aX"');
  });

  it('--format and --color from the command line', () => {
    expect(
      lineOf(run(doc({ fiveHour: { used: 95, resetsAt: resets } }), ['--format=5h,ctx', '--color'])),
    ).toMatch(/^\x1b\[31m5h 95% \(resets \d\d:\d\d\)\x1b\[0m · \x1b\[32mctx 38%\x1b\[0m$/);
  });

  it('a stdin that never closes: the line comes all the same', async () => {
    const child = spawn(node24, [ctmBin, 'statusline', '--format', 'today'], {
      env: { PATH: process.env.PATH, CTM_DATA_DIR: dataDir, CTM_TZ: 'UTC' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.write('{"session_id":');
    const started = Date.now();
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    child.stdin.destroy();
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toMatch(/^today \$[\d.]+ · ctm: status input is not whole JSON\n$/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a stdin without end (/dev/zero) or over 1 MiB: a line within the second, saying so', () => {
    const note = 'ctm: status input is over 1 MiB';
    const zero = openSync('/dev/zero', 'r');
    try {
      const started = Date.now();
      const r = spawnSync(node24, [ctmBin, 'statusline', '--format', 'today'], {
        env: { PATH: process.env.PATH, CTM_DATA_DIR: dataDir, CTM_TZ: 'UTC' },
        stdio: [zero, 'pipe', 'pipe'],
        encoding: 'utf8',
        timeout: 5000,
      });
      expect(lineOf({ code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started })).toBe(
        `today $0.75 · ${note}`,
      );
    } finally {
      closeSync(zero);
    }
    // A document followed by a megabyte of blanks, through a pipe and as a file: its session is still found.
    const padded = JSON.stringify(doc()) + ' '.repeat(1 << 20);
    expect(lineOf(run(padded, ['--format', 'session']))).toBe(`session $0.88 · ${note}`);
    const file = join(tree.root, 'padded.json');
    writeFileSync(file, padded);
    const fd = openSync(file, 'r');
    try {
      const r = spawnSync(node24, [ctmBin, 'statusline', '--format', 'session'], {
        env: { PATH: process.env.PATH, CTM_DATA_DIR: dataDir, CTM_TZ: 'UTC' },
        stdio: [fd, 'pipe', 'pipe'],
        encoding: 'utf8',
      });
      expect(r.stdout).toBe(`session $0.88 · ${note}\n`);
    } finally {
      closeSync(fd);
    }
  });

  it('--print-config: the settings.json entry, whose command works from another directory', () => {
    const r = spawnSync(node24, [ctmBin, 'statusline', '--print-config'], {
      env: { PATH: process.env.PATH, CTM_DATA_DIR: dataDir, CTM_TZ: 'UTC', CTM_STATUSLINE_FORMAT: 'today' },
      encoding: 'utf8',
      cwd: repoRoot,
    });
    expect(r.status).toBe(0);
    const config = JSON.parse(r.stdout) as { statusLine: { type: string; command: string; padding: number } };
    expect(config.statusLine).toMatchObject({ type: 'command', padding: 0 });
    expect(config.statusLine.command).toContain(`CTM_DATA_DIR=${dataDir}`);
    expect(config.statusLine.command).toContain('CTM_STATUSLINE_FORMAT=today');
    expect(config.statusLine.command).toContain(
      `CTM_NODE=${node24.replace(/\/\.bin\/node$/, '/node/bin/node')}`,
    );
    expect(config.statusLine.command).toMatch(/bin\/ctm-statusline --color$/);
    const sh = spawnSync('/bin/sh', ['-c', config.statusLine.command], {
      input: JSON.stringify(doc()),
      env: { PATH: '/usr/bin:/bin' },
      encoding: 'utf8',
      cwd: tree.root,
    });
    expect({ code: sh.status, err: sh.stderr }).toEqual({ code: 0, err: '' });
    expect(sh.stdout).toMatch(/^today \$[\d.]+\n$/);
  });

  it('ten concurrent calls: each a line, every new reading recorded once', async () => {
    const db = openLimitsReader(dataDir)!;
    const before = db.prepare('SELECT ifnull(max(id), 0) FROM rate_limits').pluck().get() as number;
    const runs = await Promise.all(
      Array.from(
        { length: 10 },
        (_, i) =>
          new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
            const child = spawn(node24, [ctmBin, 'statusline'], {
              env: { PATH: process.env.PATH, CTM_DATA_DIR: dataDir, CTM_TZ: 'UTC' },
            });
            let out = '';
            let err = '';
            child.stdout.on('data', (b) => (out += b));
            child.stderr.on('data', (b) => (err += b));
            child.on('close', (code) => resolve({ code, out, err }));
            child.stdin.end(
              JSON.stringify(
                doc({
                  sessionId: `concurrent-${i}`,
                  fiveHour: { used: 70 + i, resetsAt: resets },
                  sevenDay: { used: 80, resetsAt: weekly },
                }),
              ),
            );
          }),
      ),
    );
    for (const r of runs) {
      expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
      expect(r.out).toMatch(/ · 5h 7\d% /);
    }
    const added = db
      .prepare('SELECT window_name, used_percentage FROM rate_limits WHERE id > ? ORDER BY used_percentage')
      .raw()
      .all(before);
    db.close();
    expect(added).toEqual([
      ...Array.from({ length: 10 }, (_, i) => ['five_hour', 70 + i]),
      ['seven_day', 80],
    ]);
  });
});
