// `ctm report` as a user runs it: the real CLI in a child process over an index built by `ctm ingest --once`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assistantLine,
  costStateLine,
  limitHitLine,
  reportSessionLines,
} from '../../../test/fixtures/fixture-lines.ts';
import { fixtureTree, type FixtureTree } from '../../../test/fixtures/fixture-tree.ts';
import { spawnSync } from 'node:child_process';
import { ctmBin, node24, runCtm } from '../../../test/fixtures/run-ctm.ts';

const RESET_S = Date.parse('2026-03-01T15:00:00Z') / 1000;

let tree: FixtureTree;
let env: Record<string, string>;
const ctm = (...args: string[]) => runCtm(['report', ...args], env);
function json(...args: string[]): any {
  const r = ctm(...args, '--json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

beforeAll(() => {
  tree = fixtureTree();
  env = { HOME: tree.root, CTM_CLAUDE_DIR: tree.claudeDir, CTM_DATA_DIR: `${tree.root}/data`, CTM_TZ: 'UTC' };
  tree.write('-home-me-repo/s1.jsonl', [
    ...reportSessionLines(),
    // Not usage: a rate limit hit inside the first block, and Claude Code's own cost of the session.
    limitHitLine({ sessionId: 's1', timestamp: '2026-03-01T11:00:00Z', resetsAt: RESET_S }),
    costStateLine('s1', 4.2),
  ]);
  tree.write('-home-me-other/s2.jsonl', [
    assistantLine({
      id: 'm4',
      sessionId: 's2',
      cwd: '/home/me/other',
      timestamp: '2026-03-09T08:00:00Z',
      model: 'claude-haiku-4-5',
      input: 1_000_000,
      output: 0,
    }),
    assistantLine({
      id: 'm5',
      sessionId: 's2',
      cwd: '/home/me/other',
      timestamp: '2026-04-01T00:30:00Z',
      model: 'claude-sonnet-4-5',
      input: 300_000,
      output: 1000,
    }),
  ]);
  const r = runCtm(['ingest', '--once'], env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(
    /^2 files \(2 read\), 7 lines, 5 new messages, 0 updated, [\d.]+ KB in [\d.]+ s \(\d+ MB\/s\); nothing skipped/,
  );
});
afterAll(() => tree.remove());

const TOTALS = {
  inputTokens: 1_301_110,
  outputTokens: 1560,
  cacheCreationTokens: 2000,
  cacheReadTokens: 10000,
  totalTokens: 1_314_670,
};
const M1 = (1000 * 5 + 500 * 25 + 1500 * 6.25 + 500 * 10 + 10000 * 0.5) / 1e6;
const M2_CALC = (100 * 3 + 50 * 15) / 1e6;
const M4 = 1;
const M5 = (300_000 * 6 + 1000 * 22.5) / 1e6; // above 200k: the whole request at the higher rates

describe('ctm report --json (ccusage shapes)', () => {
  it('daily: daily[].date, modelBreakdowns, totals; unpriced models listed', () => {
    const out = json('daily');
    expect(Object.keys(out)).toEqual(['daily', 'totals', 'unpricedModels']);
    expect(out.daily.map((d: any) => d.date)).toEqual([
      '2026-03-01',
      '2026-03-02',
      '2026-03-09',
      '2026-04-01',
    ]);
    const first = out.daily[0];
    expect(first).toMatchObject({
      inputTokens: 1100,
      outputTokens: 550,
      cacheCreationTokens: 2000,
      cacheReadTokens: 10000,
      cacheWrite5mTokens: 1500,
      cacheWrite1hTokens: 500,
      totalTokens: 13650,
      modelsUsed: ['claude-opus-4-5', 'claude-sonnet-4-5-20250929'],
    });
    expect(first.totalCost).toBeCloseTo(M1 + 0.25, 12);
    expect(first.modelBreakdowns.map((m: any) => [m.modelName, m.cost])).toEqual([
      ['claude-sonnet-4-5-20250929', 0.25],
      ['claude-opus-4-5', M1],
    ]);
    expect(Object.keys(first.modelBreakdowns[0]).slice(0, 5)).toEqual([
      'modelName',
      'inputTokens',
      'outputTokens',
      'cacheCreationTokens',
      'cacheReadTokens',
    ]);
    expect(out.totals).toMatchObject(TOTALS);
    expect(out.totals.totalCost).toBeCloseTo(M1 + 0.25 + M4 + M5, 12);
    expect(out.unpricedModels).toEqual(['acme-9']);
    expect(out.daily[1]).toMatchObject({ totalTokens: 20, totalCost: 0, modelsUsed: ['acme-9'] });
  });

  it('weekly (weeks start on Monday by default, as on the site; CTM_WEEK_START or -w sunday as ccusage) and monthly', () => {
    const monday = ['2026-02-23', '2026-03-02', '2026-03-09', '2026-03-30'];
    expect(json('weekly').weekly.map((w: any) => w.week)).toEqual(monday);
    expect(json('weekly', '--start-of-week', 'monday').weekly.map((w: any) => w.week)).toEqual(monday);
    const sunday = [
      ['2026-03-01', 13670],
      ['2026-03-08', 1_000_000],
      ['2026-03-29', 301_000],
    ];
    expect(json('weekly', '-w', 'sunday').weekly.map((w: any) => [w.week, w.totalTokens])).toEqual(sunday);
    const fromEnv = runCtm(['report', 'weekly', '--json'], { ...env, CTM_WEEK_START: 'Sunday' });
    expect(JSON.parse(fromEnv.stdout).weekly.map((w: any) => [w.week, w.totalTokens])).toEqual(sunday);
    // The flag wins over the variable.
    const both = runCtm(['report', 'weekly', '--json', '-w', 'monday'], { ...env, CTM_WEEK_START: 'sunday' });
    expect(JSON.parse(both.stdout).weekly.map((w: any) => w.week)).toEqual(monday);
    const bad = runCtm(['report', 'weekly'], { ...env, CTM_WEEK_START: 'someday' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^ctm: CTM_WEEK_START: expected a weekday/);
    const monthly = json('monthly');
    expect(monthly.monthly.map((m: any) => [m.month, m.totalTokens])).toEqual([
      ['2026-03', 1_013_670],
      ['2026-04', 301_000],
    ]);
    expect(monthly.totals).toMatchObject(TOTALS);
  });

  it('session: sessions[] with project, first and last activity as ISO timestamps, reportedCost', () => {
    const out = json('session');
    expect(
      out.sessions.map((s: any) => [
        s.sessionId,
        s.projectPath,
        s.firstActivity,
        s.lastActivity,
        s.startTime,
        s.endTime,
      ]),
    ).toEqual([
      [
        's1',
        '-home-me-repo',
        '2026-03-01T10:00:00.000Z',
        '2026-03-02T12:00:00.000Z',
        '2026-03-01T10:00:00.000Z',
        '2026-03-02T12:00:00.000Z',
      ],
      [
        's2',
        '-home-me-other',
        '2026-03-09T08:00:00.000Z',
        '2026-04-01T00:30:00.000Z',
        '2026-03-09T08:00:00.000Z',
        '2026-04-01T00:30:00.000Z',
      ],
    ]);
    expect(out.sessions[1].totalCost).toBeCloseTo(M4 + M5, 12);
    expect(out.totals).toMatchObject(TOTALS);
    expect(out.unpricedModels).toEqual(['acme-9']);
  });

  it("session reportedCost: Claude Code's own figure (its last cost-state line), or null; never in totals", () => {
    const out = json('session');
    expect(out.sessions.map((s: any) => [s.sessionId, s.reportedCost])).toEqual([
      ['s1', 4.2],
      ['s2', null],
    ]);
    expect(out.totals.totalCost).toBeCloseTo(M1 + 0.25 + M4 + M5, 12);
  });

  it('blocks: blocks[] with gaps; no token-limit status without an active block', () => {
    const out = json('blocks', '--token-limit', 'max');
    expect(out.blocks.map((b: any) => [b.startTime, b.isGap, b.entries])).toEqual([
      ['2026-03-01T10:00:00.000Z', false, 1],
      ['2026-03-01T15:00:00.000Z', true, 0],
      ['2026-03-01T23:00:00.000Z', false, 1],
      ['2026-03-02T04:30:00.000Z', true, 0],
      ['2026-03-02T12:00:00.000Z', false, 1],
      ['2026-03-02T17:00:00.000Z', true, 0],
      ['2026-03-09T08:00:00.000Z', false, 1],
      ['2026-03-09T13:00:00.000Z', true, 0],
      ['2026-04-01T00:00:00.000Z', false, 1],
    ]);
    expect(out.blocks[0]).toMatchObject({
      id: '2026-03-01T10:00:00.000Z',
      endTime: '2026-03-01T15:00:00.000Z',
      actualEndTime: '2026-03-01T10:00:00.000Z',
      isActive: false,
      tokenCounts: {
        inputTokens: 1000,
        outputTokens: 500,
        cacheCreationInputTokens: 2000,
        cacheReadInputTokens: 10000,
      },
      totalTokens: 13500,
      models: ['claude-opus-4-5'],
      burnRate: null,
      projection: null,
    });
    expect(out.blocks.every((b: any) => b.tokenLimitStatus === undefined)).toBe(true);
  });

  it('blocks: usageLimitResetTime on the block a limit hit falls in, and only there', () => {
    const out = json('blocks');
    expect(
      out.blocks
        .filter((b: any) => 'usageLimitResetTime' in b)
        .map((b: any) => [b.id, b.usageLimitResetTime]),
    ).toEqual([['2026-03-01T10:00:00.000Z', '2026-03-01T15:00:00.000Z']]);
    // The hit is not usage: the block still has one entry and its tokens only.
    expect(out.blocks[0]).toMatchObject({ entries: 1, totalTokens: 13500 });
    expect(
      json('blocks', '--project', '-home-me-other').blocks.some((b: any) => 'usageLimitResetTime' in b),
    ).toBe(false);
  });

  it('--since / --until / --project filter; --timezone re-buckets', () => {
    expect(
      json('daily', '--since', '2026-03-02', '--until', '20260309').daily.map((d: any) => d.date),
    ).toEqual(['2026-03-02', '2026-03-09']);
    const other = json('daily', '--project', '-home-me-other');
    expect(other.daily.map((d: any) => d.date)).toEqual(['2026-03-09', '2026-04-01']);
    expect(other.unpricedModels).toEqual([]);
    expect(json('daily', '--timezone', 'Asia/Tokyo').daily.map((d: any) => [d.date, d.totalTokens])).toEqual([
      ['2026-03-01', 13500],
      ['2026-03-02', 170],
      ['2026-03-09', 1_000_000],
      ['2026-04-01', 301_000],
    ]);
    expect(json('monthly', '--timezone', 'America/Los_Angeles').monthly.map((m: any) => m.month)).toEqual([
      '2026-03',
    ]);
    expect(json('session', '--project', '-home-me-repo').sessions.map((s: any) => s.sessionId)).toEqual([
      's1',
    ]);
    // The name the pages show (the folder of the working directory) and the full path work too.
    expect(json('session', '--project', 'repo').sessions.map((s: any) => s.sessionId)).toEqual(['s1']);
    expect(json('session').sessions.map((s: any) => [s.projectPath, s.projectName])).toEqual([
      ['-home-me-repo', 'repo'],
      ['-home-me-other', 'other'],
    ]);
    expect(json('session', '-p', '/home/me/other').sessions.map((s: any) => s.sessionId)).toEqual(['s2']);
    expect(json('daily', '--project', '/home/me/other/')).toEqual(other);
    expect(json('blocks', '--since', '2026-03-09').blocks.map((b: any) => b.startTime)).toEqual([
      '2026-03-09T08:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
      '2026-04-01T00:00:00.000Z',
    ]);
  });

  it('cost modes: auto uses costUSD when present, calculate ignores it, display uses only it', () => {
    expect(json('daily', '--cost-mode', 'calculate').totals.totalCost).toBeCloseTo(
      M1 + M2_CALC + M4 + M5,
      12,
    );
    expect(json('daily', '--cost-mode', 'display').totals.totalCost).toBe(0.25);
    // --mode and -m are ccusage's names of --cost-mode.
    expect(json('daily', '--mode', 'calculate')).toEqual(json('daily', '--cost-mode', 'calculate'));
    expect(json('session', '-m', 'display')).toEqual(json('session', '--cost-mode', 'display'));
    env.CTM_COST_MODE = 'calculate';
    expect(json('daily').totals.totalCost).toBeCloseTo(M1 + M2_CALC + M4 + M5, 12);
    delete env.CTM_COST_MODE;
  });
});

/** Whole calendar periods from `from` (a day) to today in UTC, counting both ends: what `--last` needs to
 * reach back to `from`, whatever day the test runs on. */
function periodsSince(period: 'day' | 'month', from: string): number {
  const today = new Date().toISOString().slice(0, 10);
  if (period === 'day') return (Date.parse(today) - Date.parse(from)) / 86_400_000 + 1;
  const index = (day: string) => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7));
  return index(today) - index(from) + 1;
}

describe("ccusage's flag spellings and options", () => {
  it('-j is --json; --offline, -O and --no-offline are accepted and change nothing', () => {
    const plain = ctm('daily', '--json').stdout;
    expect(JSON.parse(plain).daily).toHaveLength(4);
    for (const args of [['-j'], ['--json', '--offline'], ['-j', '-O'], ['-j', '--no-offline']])
      expect(ctm('daily', ...args).stdout).toBe(plain);
  });

  it('--no-cost: the same rows with every cost field left out, on every report, in JSON, CSV and the table', () => {
    // What ccusage 20.0.24 leaves out (without-costs.ts); nothing else changes.
    const costKeys = /"(totalCost|cost|costUSD|reportedCost)":/;
    for (const kind of ['daily', 'weekly', 'monthly', 'session', 'blocks']) {
      const full = json(kind);
      const bare = json(kind, '--no-cost');
      expect(JSON.stringify(bare)).not.toMatch(costKeys);
      const rows = Object.keys(full)[0]!;
      expect(bare[rows].map((r: any) => r.totalTokens)).toEqual(full[rows].map((r: any) => r.totalTokens));
      expect(ctm(kind, '--csv', '--no-cost').stdout.split('\r\n', 1)[0]).not.toMatch(/cost/i);
      expect(ctm(kind, '--no-cost').stdout).not.toMatch(/Cost|USD|\$|\*/);
    }
    expect(json('daily', '--no-cost').totals).toEqual({
      ...TOTALS,
      cacheWrite5mTokens: 1500,
      cacheWrite1hTokens: 500,
      webSearchRequests: 0,
      unpricedModels: ['acme-9'],
    });
    expect(json('daily', '--no-cost').daily[1].modelBreakdowns[0]).toMatchObject({
      modelName: 'acme-9',
      missingPricing: true,
    });
  });

  it('boolean flags take =true, =false, =1 and =0 (ccusage accepts any value there; ctm takes it as written)', () => {
    const plain = ctm('daily', '--json').stdout;
    for (const args of [
      ['--json=true'],
      ['-j=1'],
      ['--json', '--offline=false'],
      ['--json', '--breakdown=false'],
    ])
      expect(ctm('daily', ...args).stdout).toBe(plain);
    expect(ctm('daily', '--breakdown=true').stdout).toBe(ctm('daily', '--breakdown').stdout);
    expect(ctm('daily', '-b=0').stdout).toBe(ctm('daily').stdout);
    expect(ctm('daily', '-j', '--no-cost=false').stdout).toBe(plain);
    const bad = ctm('daily', '--json=yes');
    expect([bad.code, bad.stderr]).toEqual([2, 'ctm: --json: expected true, false, 1 or 0, got "yes"\n']);
  });

  it('-z is --timezone, -s/-u take YYYYMMDD, -b is --breakdown', () => {
    expect(ctm('daily', '-j', '-z', 'Asia/Tokyo').stdout).toBe(
      ctm('daily', '-j', '--timezone', 'Asia/Tokyo').stdout,
    );
    expect(json('daily', '-s', '20260302', '-u', '20260309').daily.map((d: any) => d.date)).toEqual([
      '2026-03-02',
      '2026-03-09',
    ]);
    expect(ctm('daily', '-b').stdout).toBe(ctm('daily', '--breakdown').stdout);
    expect(ctm('daily', '-b').stdout).toMatch(/^ {2}└ claude-opus-4-5\s/m);
  });

  it("-z local, --timezone local and CTM_TZ=local: the machine's zone (TZ here), as ccusage takes it", () => {
    const tokyo = ctm('daily', '-j', '-z', 'Asia/Tokyo').stdout;
    expect(tokyo).not.toBe(ctm('daily', '-j').stdout);
    const local = (args: string[], more: Record<string, string> = {}) =>
      runCtm(['report', 'daily', '-j', ...args], { ...env, TZ: 'Asia/Tokyo', ...more });
    for (const r of [
      local(['-z', 'local']),
      local(['--timezone', 'local']),
      local([], { CTM_TZ: 'local' }),
    ]) {
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(tokyo);
    }
    expect(local(['-z', 'local']).stdout).not.toBe(ctm('daily', '-j', '-z', 'local').stdout);
  });

  it('--order asc|desc (and -o) on every report', () => {
    const dates = (...args: string[]) => json('daily', ...args).daily.map((d: any) => d.date);
    expect(dates('--order', 'asc')).toEqual(dates());
    expect(dates('--order', 'desc')).toEqual([...dates()].reverse());
    expect(json('monthly', '-o', 'desc').monthly.map((m: any) => m.month)).toEqual(['2026-04', '2026-03']);
    expect(json('weekly', '-o', 'desc').weekly.map((w: any) => w.week)[0]).toBe('2026-03-30');
    expect(json('session', '--order', 'desc').sessions.map((s: any) => s.sessionId)).toEqual(['s2', 's1']);
    const ids = json('blocks').blocks.map((b: any) => b.id);
    expect(json('blocks', '-o', 'desc').blocks.map((b: any) => b.id)).toEqual([...ids].reverse());
    // The order changes the rows, never the totals.
    expect(json('daily', '--order', 'desc').totals).toEqual(json('daily').totals);
  });

  it('--start-of-week: any weekday, -w too', () => {
    expect(json('weekly', '-w', 'monday').weekly.map((w: any) => w.week)).toEqual(
      json('weekly', '--start-of-week', 'monday').weekly.map((w: any) => w.week),
    );
    // 2026-03-01 is a Sunday: weeks from Wednesday put it in the week of 2026-02-25.
    expect(
      json('weekly', '--start-of-week', 'wednesday').weekly.map((w: any) => [w.week, w.totalTokens]),
    ).toEqual([
      ['2026-02-25', 13670],
      ['2026-03-04', 1_000_000],
      ['2026-04-01', 301_000],
    ]);
  });

  it('--last N: the last N calendar days or months, counting the current one', () => {
    const days = periodsSince('day', '2026-04-01');
    expect(json('daily', '--last', String(days)).daily.map((d: any) => d.date)).toEqual(['2026-04-01']);
    const none = json('daily', '--last', String(days - 1));
    expect(none.daily).toEqual([]);
    expect(none.totals).toMatchObject({ inputTokens: 0, totalTokens: 0, totalCost: 0 });
    const months = periodsSince('month', '2026-03-01');
    expect(json('monthly', '--last', String(months)).monthly.map((m: any) => m.month)).toEqual([
      '2026-03',
      '2026-04',
    ]);
    const april = json('monthly', '--last', String(months - 1));
    expect(april.monthly.map((m: any) => m.month)).toEqual(['2026-04']);
    expect(april.totals).toMatchObject({ inputTokens: 300_000, totalTokens: 301_000 });
    // With --since as well, the later start wins.
    expect(
      json('daily', '--last', String(days + 40), '--since', '2026-03-05').daily.map((d: any) => d.date),
    ).toEqual(['2026-03-09', '2026-04-01']);
  });

  it('--last N on sessions (latest activity) and blocks (with usage, gaps between kept)', () => {
    const last = json('session', '--last', '1');
    expect(last.sessions.map((s: any) => s.sessionId)).toEqual(['s2']);
    expect(last.totals).toMatchObject({ inputTokens: 1_300_000, outputTokens: 1000, totalTokens: 1_301_000 });
    expect(json('session', '--last', '5').sessions).toHaveLength(2);
    expect(json('blocks', '--last', '2').blocks.map((b: any) => [b.id, b.isGap])).toEqual([
      ['2026-03-09T08:00:00.000Z', false],
      ['gap-2026-03-09T13:00:00.000Z', true],
      ['2026-04-01T00:00:00.000Z', false],
    ]);
  });

  it('totals are the very same number in daily, weekly, monthly and session, whatever the filter', () => {
    for (const filter of [
      [],
      ['--since', '2026-03-02'],
      ['-z', 'Asia/Tokyo'],
      ['-z', 'America/New_York', '-s', '20260301', '-u', '20260331'],
      ['--project', 'repo'],
      ['--mode', 'calculate'],
      ['--mode', 'display'],
    ]) {
      const [daily, weekly, monthly, session] = ['daily', 'weekly', 'monthly', 'session'].map(
        (kind) => json(kind, ...filter).totals,
      );
      expect(weekly, filter.join(' ')).toStrictEqual(daily);
      expect(monthly, filter.join(' ')).toStrictEqual(daily);
      expect(session, filter.join(' ')).toStrictEqual(daily);
    }
  });

  it('the rows add up to the totals', () => {
    for (const kind of ['daily', 'weekly', 'monthly', 'session'] as const) {
      const out = json(kind);
      const rows: any[] = out[kind === 'session' ? 'sessions' : kind];
      for (const field of [
        'inputTokens',
        'outputTokens',
        'cacheCreationTokens',
        'cacheReadTokens',
        'totalTokens',
      ])
        expect(rows.reduce((n, r) => n + r[field], 0)).toBe(out.totals[field]);
      expect(rows.reduce((n, r) => n + r.totalCost, 0)).toBeCloseTo(out.totals.totalCost, 9);
    }
  });
});

describe('help', () => {
  it('ctm --help and ctm help: the commands, exit 0; ctm alone: the same, exit 2', () => {
    for (const arg of ['--help', '-h', 'help']) {
      const r = runCtm([arg], env);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^Usage: ctm <command> \[options\]\n/);
      for (const command of ['ingest', 'report <kind>', 'prices', 'build', 'snapshot', 'start'])
        expect(r.stdout.split('\n')).toContainEqual(expect.stringMatching(new RegExp(`^  ${command} `)));
    }
    const bare = runCtm([], env);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toMatch(/^Usage: ctm <command>/);
  });

  it('ctm report --help and ctm report <kind> --help print their usage, exit 0, without an index', () => {
    const noIndex = { ...env, CTM_DATA_DIR: `${tree.root}/empty` };
    const general = runCtm(['report', '--help'], noIndex);
    expect(general.code).toBe(0);
    expect(general.stdout).toMatch(
      /^Usage: ctm report <daily\|weekly\|monthly\|session\|blocks> \[options\]\n/,
    );
    expect(general.stdout).toContain('-j, --json');
    const daily = runCtm(['report', 'daily', '--help'], noIndex);
    expect(daily.code).toBe(0);
    expect(daily.stdout).toMatch(/^Usage: ctm report daily \[options\]\n/);
    expect(daily.stdout).not.toContain('--token-limit');
    expect(runCtm(['report', 'blocks', '-h'], noIndex).stdout).toContain('-t, --token-limit N|max');
  });
});

describe('ctm report text', () => {
  it('comma-grouped exact numbers, USD to the cent, the timezone stated, unpriced usage flagged', () => {
    const r = ctm('daily', '--breakdown');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^Date\s+Input\s+Output\s+Cache write\s+Cache read\s+Total tokens\s+Cost \(USD\)$/,
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^2026-03-01\s+1,100\s+550\s+2,000\s+10,000\s+13,650\s+\$0\.29$/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}└ acme-9\s+10\s+10\s+0\s+0\s+20\s+\$0\.00\*$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^Total\s+1,301,110\s+1,560\s+2,000\s+10,000\s+1,314,670\s+\$3\.11\*$/),
    );
    expect(lines).toContain('Timezone: UTC');
    expect(lines.at(-1)).toBe(
      '* No price known for: acme-9 (their tokens count, their cost is not included)',
    );
    // Columns line up: every row is as wide as the header rule, bar the trailing marker space.
    const width = lines[1]!.length;
    for (const l of lines.slice(2, lines.indexOf('')))
      expect(l.replace(/\*$/, ' ').padEnd(width).length).toBe(width);
    const tokyo = ctm('weekly', '--timezone', 'Asia/Tokyo');
    expect(tokyo.stderr).toBe('');
    expect(tokyo.stdout).toContain('Timezone: Asia/Tokyo');
    const blocks = ctm('blocks').stdout;
    expect(blocks).toMatch(/^Block start \(UTC\)/);
    expect(blocks).toMatch(/^2026-03-02T12:00 +1 +20 +\$0\.00\*$/m);
    expect(blocks).toContain('* Some requests have no price');
    const sessions = ctm('session').stdout.split('\n');
    // Each session with its project's display name, its last activity (the order of the list, in the report's
    // timezone) and models.
    expect(sessions[0]).toMatch(/^Session  Project\s+Last activity\s+Models\s+Input/);
    expect(sessions).toContainEqual(
      expect.stringMatching(/^s1       repo     2026-03-02 12:00  opus-4-5, sonnet-4-5, acme-9\s+1,110\s/),
    );
    expect(sessions).toContainEqual(
      expect.stringMatching(/^s2       other    2026-04-01 00:30  haiku-4-5, sonnet-4-5\s+1,300,000\s/),
    );
    // The rule under the header breaks between every two columns, the left-aligned ones too.
    expect(sessions[1]).toMatch(/^─{7}  ─{7}  ─{16}  ─+  ─+/);
    expect(ctm('session', '--timezone', 'Asia/Tokyo').stdout).toMatch(/^s2 .* 2026-04-01 09:30 /m);
    // Claude Code's own session cost, beside ctm's, with a note that it is not added up.
    expect(sessions[0]).toMatch(/Cost \(USD\)\s+Claude Code \(USD\)$/);
    expect(sessions).toContainEqual(expect.stringMatching(/^s1 .*\s\$4\.20$/));
    expect(sessions).toContain(
      "Claude Code (USD): the session's cost as Claude Code itself recorded it, not added to the total",
    );
    expect(blocks).toMatch(/^Block start \(UTC\).*\s{2}Limit reset \(UTC\)$/m);
    expect(blocks).toMatch(/^2026-03-01T10:00 .*\s{2}2026-03-01T15:00$/m);
  });

  it("blocks with --token-limit: each block's share of the limit, and the note says against what", () => {
    expect(ctm('blocks').stdout).not.toContain('Of limit');
    const given = ctm('blocks', '--token-limit', '27000').stdout.split('\n');
    expect(given[0]).toMatch(
      /^Block start \(UTC\)\s+Requests\s+Tokens\s+Cost \(USD\)\s+Tokens\/min\s+Projected\s+Of limit/,
    );
    // 13,500 of 27,000 tokens; a gap has no share; beyond the limit in grouped digits.
    expect(given).toContainEqual(expect.stringMatching(/^2026-03-01T10:00 +1 +13,500 .* 50% /));
    expect(given).toContainEqual(expect.stringMatching(/^\(gap\) \S+$/));
    expect(given).toContainEqual(expect.stringMatching(/^2026-03-09T08:00 .* 3,704%$/));
    expect(given).toContainEqual(expect.stringMatching(/^2026-03-02T12:00 .* <1%$/));
    expect(given).toContain("Of limit: each block's tokens as a share of 27,000");
    const zero = ctm('blocks', '-t', '0');
    expect(zero.code).toBe(0);
    expect(zero.stdout).not.toMatch(/^Block start.*Of limit/);
    expect(zero.stdout).toContain(
      'Of limit: not shown against a limit of 0 tokens (every block with usage is beyond it)',
    );
    const max = ctm('blocks', '-t', 'max').stdout;
    expect(max).toMatch(/^2026-03-09T08:00 .* 100%/m);
    expect(max).toContain(
      "Of limit: each block's tokens as a share of 1,000,000 (max: the largest completed block)",
    );
  });

  it('optional columns are dropped, last first, when the terminal is narrower than the table', async () => {
    const { openIndex } = await import('./report.ts');
    const { buildReport } = await import('../build-report.ts');
    const { renderText } = await import('../report-text.ts');
    const db = openIndex(`${tree.root}/data/ctm.db`);
    try {
      const out = await buildReport(
        db,
        'session',
        { timezone: 'UTC', costMode: 'auto' },
        { tokenLimit: 'max', now: 0 },
      );
      const text = (width: number) =>
        renderText('session', out, { breakdown: false, timezone: 'UTC', width });
      const full = text(Number.POSITIVE_INFINITY);
      const width = full.split('\n', 1)[0]!.length;
      expect(text(width)).toBe(full);
      const narrow = text(width - 1);
      expect(narrow).not.toContain('Claude Code (USD)');
      expect(narrow.split('\n', 1)[0]).toMatch(/Cost \(USD\)$/);
    } finally {
      db.close();
    }
  });
});

describe('ctm report errors: one line, exit 2', () => {
  it.each<[string[], RegExp]>([
    [
      ['weird'],
      /^ctm: report: unknown report "weird", expected one of daily, weekly, monthly, session, blocks /,
    ],
    [['daily', '--since', 'March'], /^ctm: --since: expected YYYY-MM-DD or YYYYMMDD, got "March"\n$/],
    [['daily', '--until', '2026-02-30x'], /^ctm: --until: expected YYYY-MM-DD or YYYYMMDD/],
    [['daily', '-s', '2026-02-30'], /^ctm: -s: expected YYYY-MM-DD or YYYYMMDD, got "2026-02-30"/],
    [['daily', '--timezone', 'Mars/Base'], /^ctm: --timezone: unknown timezone "Mars\/Base"/],
    [['daily', '-z', 'Mars/Base'], /^ctm: -z: unknown timezone "Mars\/Base"/],
    [['blocks', '--token-limit', 'lots'], /^ctm: --token-limit: /],
    [
      ['daily', '--cost-mode', 'free'],
      /^ctm: --cost-mode: expected one of auto, calculate, display, got "free"\n$/,
    ],
    [['daily', '--mode', 'free'], /^ctm: --mode: expected one of auto, calculate, display, got "free"\n$/],
    [['daily', '--order', 'newest'], /^ctm: --order: expected asc or desc, got "newest"\n$/],
    [['daily', '--last', '0'], /^ctm: --last: expected a whole number from 1 up, got "0"\n$/],
    [
      ['daily', '--since', '2026-03-09', '--until', '2026-03-01'],
      /^ctm: --since 2026-03-09 is after --until 2026-03-01\n$/,
    ],
    [['daily', '-s', '20260309', '-u', '20260301'], /^ctm: -s 2026-03-09 is after -u 2026-03-01\n$/],
    [['daily', '--bogus'], /^ctm: report: unknown option --bogus \(see `ctm report daily --help`\)\n$/],
    [['--bogus'], /^ctm: report: unknown option --bogus \(see `ctm report --help`\)\n$/],
  ])('report %j', (args, message) => {
    const r = ctm(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('--project naming no project: the empty report, as of a tree with no usage (exit 0, as ccusage), and a note', () => {
    const empty = fixtureTree();
    const emptyEnv = { ...env, CTM_CLAUDE_DIR: empty.claudeDir, CTM_DATA_DIR: `${empty.root}/data` };
    try {
      expect(runCtm(['ingest', '--once'], emptyEnv).code).toBe(0);
      const note =
        'ctm: --project: no project "nowhere" (known: other (/home/me/other), repo (/home/me/repo))\n';
      for (const kind of ['daily', 'weekly', 'monthly', 'session', 'blocks'])
        for (const format of [['--json'], ['--csv'], ['--csv', '-b']]) {
          const r = ctm(kind, ...format, '--project', 'nowhere');
          expect([r.code, r.stderr]).toEqual([0, note]);
          expect(r.stdout).toBe(runCtm(['report', kind, ...format], emptyEnv).stdout);
        }
      const text = ctm('daily', '-p', 'nowhere');
      expect(text.code).toBe(0);
      expect(text.stderr).toMatch(/^ctm: -p: no project "nowhere" \(known: /);
      expect(text.stdout).toMatch(/^Total\s+0\s+0\s+0\s+0\s+0\s+\$0\.00\s*$/m);
      const none = runCtm(['report', 'daily', '--json', '-p', 'x'], emptyEnv);
      expect([none.code, none.stderr]).toEqual([0, 'ctm: -p: no project "x" (the index has no usage yet)\n']);
    } finally {
      empty.remove();
    }
  });

  it('a reader that closes the pipe early (`| head`) ends the report quietly, exit 0', () => {
    // `true` exits before ctm writes a byte, so the first write meets a closed pipe (EPIPE).
    const r = spawnSync(
      'bash',
      ['-c', 'set -o pipefail; "$0" "$1" report daily --json | true; echo "exit $?"', node24, ctmBin],
      { env: { PATH: process.env.PATH, TZ: 'UTC', ...env }, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('exit 0\n');
  });

  it('a bad CTM_COST_MODE names the variable; the flag, when given, wins', () => {
    const r = runCtm(['report', 'daily'], { ...env, CTM_COST_MODE: 'free' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ctm: CTM_COST_MODE: /);
    expect(runCtm(['report', 'daily', '--mode', 'auto'], { ...env, CTM_COST_MODE: 'free' }).code).toBe(0);
  });

  it('an unknown command points to ctm --help', () => {
    const r = runCtm(['reprot'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ctm: unknown command "reprot" (see `ctm --help`)\n');
  });

  it('no index yet names CTM_DATA_DIR', () => {
    const r = runCtm(['report', 'daily'], { ...env, CTM_DATA_DIR: `${tree.root}/empty` });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^ctm: CTM_DATA_DIR: no index at .*empty\/ctm\.db; run `ctm ingest --once` first\n$/,
    );
  });
});

describe("the order of a row's models (in-process)", () => {
  it('first used on sessions and blocks, as ccusage; by name on periods (a documented difference)', async () => {
    const { testIndex } = await import('../../../test/fixtures/fixture-tree.ts');
    const { buildReport } = await import('../build-report.ts');
    const { reportJson } = await import('./report.ts');
    const t = fixtureTree();
    const index = testIndex([t.claudeDir], t.root);
    try {
      const line = (id: string, iso: string, model: string) =>
        assistantLine({ id, sessionId: 's', timestamp: iso, model, input: 1000, output: 0 });
      // zeta-model and alpha-model have no price: the same cost (0), first used in that order.
      t.write('p/s.jsonl', [
        line('a', '2026-03-01T10:00:00Z', 'zeta-model'),
        line('b', '2026-03-01T10:01:00Z', 'alpha-model'),
        line('c', '2026-03-01T10:02:00Z', 'claude-opus-4-5'),
        line('d', '2026-03-01T13:00:00Z', 'zeta-model'),
      ]);
      index.ingester.pass();
      const report = async (kind: 'daily' | 'session' | 'blocks') =>
        (await reportJson(
          await buildReport(
            index.db,
            kind,
            { timezone: 'UTC', costMode: 'auto' },
            { tokenLimit: 'max', now: 0 },
          ),
        )) as any;
      const session = (await report('session')).sessions[0];
      expect(session.modelsUsed).toEqual(['zeta-model', 'alpha-model', 'claude-opus-4-5']);
      expect(session.modelBreakdowns.map((m: any) => m.modelName)).toEqual([
        'claude-opus-4-5',
        'zeta-model',
        'alpha-model',
      ]);
      expect((await report('blocks')).blocks[0].models).toEqual([
        'zeta-model',
        'alpha-model',
        'claude-opus-4-5',
      ]);
      const day = (await report('daily')).daily[0];
      expect(day.modelsUsed).toEqual(['alpha-model', 'claude-opus-4-5', 'zeta-model']);
      expect(day.modelBreakdowns.map((m: any) => m.modelName)).toEqual([
        'claude-opus-4-5',
        'alpha-model',
        'zeta-model',
      ]);
    } finally {
      index.close();
      t.remove();
    }
  });
});

describe('blocks with an active block (in-process, fixed clock)', () => {
  it('burn rate, projection and token-limit status (N and max)', async () => {
    const { testIndex } = await import('../../../test/fixtures/fixture-tree.ts');
    const { blocksReport, blocksJson } = await import('../../report/blocks-report.ts');
    const t = fixtureTree();
    const index = testIndex([t.claudeDir], t.root);
    try {
      const line = (id: string, iso: string, input: number) =>
        assistantLine({ id, timestamp: iso, model: 'claude-opus-4-5', input, output: 0 });
      t.write('p/s.jsonl', [
        line('old', '2026-03-01T08:10:00Z', 40_000),
        line('old2', '2026-03-01T08:40:00Z', 2_000),
        line('n1', '2026-03-02T10:05:00Z', 6_000),
        line('n2', '2026-03-02T10:35:00Z', 3_000),
      ]);
      index.ingester.pass();
      const filter = { timezone: 'UTC', costMode: 'calculate' as const };
      const now = Date.parse('2026-03-02T11:00:00Z');
      const report = (tokenLimit: number | 'max') => blocksReport(index.db, filter, { tokenLimit, now });
      const blocks = report('max');
      expect(blocks.map((b) => [b.startTime, b.isGap, b.isActive])).toEqual([
        ['2026-03-01T08:00:00.000Z', false, false],
        ['2026-03-01T13:40:00.000Z', true, false],
        ['2026-03-02T10:00:00.000Z', false, true],
      ]);
      const active = blocks[2]!;
      // 9,000 tokens over 30 minutes = 300/min; 240 minutes left until 15:00.
      expect(active.burnRate).toEqual({
        tokensPerMinute: 300,
        tokensPerMinuteForIndicator: 300,
        costPerHour: ((9000 * 5) / 1e6 / 30) * 60,
      });
      expect(active.projection).toEqual({
        totalTokens: 9000 + 300 * 240,
        totalCost: Math.round(((9000 * 5) / 1e6 + ((9000 * 5) / 1e6 / 30) * 240) * 100) / 100,
        remainingMinutes: 240,
      });
      // max = the largest completed block (42,000): 81,000 projected exceeds it.
      expect(active.tokenLimitStatus).toEqual({
        limit: 42_000,
        projectedUsage: 81_000,
        percentUsed: (81_000 / 42_000) * 100,
        status: 'exceeds',
      });
      expect(blocks[0]!.tokenLimitStatus).toBeUndefined();
      // The table shows every block's rate; the JSON, as ccusage, only the active block's burn rate and
      // projection (null on the others, gaps included).
      expect(blocks[0]!.burnRate).not.toBeNull();
      const { blocks: out } = blocksJson(blocks) as { blocks: any[] };
      expect(out.map((b) => [b.isActive, b.burnRate === null, b.projection === null])).toEqual([
        [false, true, true],
        [false, true, true],
        [true, false, false],
      ]);
      expect(out[2].burnRate).toEqual(active.burnRate);
      // -t 0, as ccusage: a status against a limit of 0 tokens, with no percentage (null in the JSON).
      expect(report(0)[2]!.tokenLimitStatus).toEqual({
        limit: 0,
        projectedUsage: 81_000,
        percentUsed: null,
        status: 'exceeds',
      });
      expect(report(0)[0]!.tokenLimitStatus).toBeUndefined();
      expect(report(90_000)[2]!.tokenLimitStatus!.status).toBe('warning');
      expect(report(200_000)[2]!.tokenLimitStatus!.status).toBe('ok');
    } finally {
      index.close();
      t.remove();
    }
  });
});
