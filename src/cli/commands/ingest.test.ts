// `ctm ingest` as a user runs it: the real CLI in child processes. Includes the durability proof: SIGKILL a
// pass at random moments, re-run, and the index equals a clean single pass (nothing lost, nothing twice).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { once } from 'node:events';
import Database from 'better-sqlite3';
import { assistantLine, userLine } from '../../../test/fixtures/fixture-lines.ts';
import { at, fixtureTree, type FixtureTree } from '../../../test/fixtures/fixture-tree.ts';
import { runCtm, spawnCtm, ctmBin } from '../../../test/fixtures/run-ctm.ts';
import { describeStatsCache } from './ingest.ts';
import { openDb } from '../../db/open.ts';

const trees: FixtureTree[] = [];
afterAll(() => trees.forEach((t) => t.remove()));
function tree(): FixtureTree {
  const t = fixtureTree();
  trees.push(t);
  return t;
}
const envFor = (t: FixtureTree, extra: Record<string, string> = {}) => ({
  HOME: t.root,
  CTM_CLAUDE_DIR: t.claudeDir,
  CTM_DATA_DIR: join(t.root, 'data'),
  CTM_TZ: 'UTC',
  ...extra,
});

describe('ctm ingest --once', () => {
  it('prints files, lines, new messages, skipped lines by reason, other lines by type and MB/s, then the first few skip locations', () => {
    const t = tree();
    const p = t.write('p/s.jsonl', [
      assistantLine({ id: 'a', timestamp: at(0) }),
      '{"type":"assistant","message":{"usage":{broken',
      assistantLine({ id: 'b', timestamp: 'soon' }),
      userLine('s', at(1)),
    ]);
    const r = runCtm(['ingest', '--once'], envFor(t));
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^1 files \(1 read\), 4 lines, 1 new messages, 0 updated, [\d.]+ KB in [\d.]+ s \(\d+ MB\/s\); skipped: invalid_json 1, bad_timestamp 1; other lines: user 1$/,
    );
    expect(lines.slice(1, -1)).toEqual([
      `  skipped ${p}:2 (invalid_json)`,
      `  skipped ${p}:3 (bad_timestamp)`,
    ]);
    // The last line: what the index holds and where to look.
    expect(lines.at(-1)).toBe(
      `ready: ${t.root}/data/ctm.db — 1 request, ${at(0).slice(0, 10)}; ` +
        'see them with ctm report daily, or ctm start for the pages',
    );
    // The log's one summary line per pass goes to stderr (JSON when not a terminal).
    const log = r.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(log).toEqual([expect.objectContaining({ level: 'warn', msg: 'skipped input' })]);
    const again = runCtm(['ingest', '--once'], envFor(t));
    expect(again.stdout).toMatch(/^1 files \(0 read\), 0 lines, 0 new messages, 0 updated, 0 B in/);
  });

  it('counts the .jsonl files that are not transcripts in its summary line', () => {
    const t = tree();
    t.write('p/s.jsonl', [assistantLine({ id: 'a', timestamp: at(0) })]);
    t.write('p/s/subagents/workflows/wf-1/journal.jsonl', ['{"step":1}']);
    t.write('p/s/notes.jsonl', ['{}']);
    const r = runCtm(['ingest', '--once'], envFor(t));
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(
      /^1 files \(1 read\), 1 lines, .*; nothing skipped; 2 other \.jsonl files ignored \(not transcripts\)$/,
    );
  });

  it('reports stats-cache.json disagreements in one line, and says nothing when it agrees', () => {
    const t = tree();
    t.write('p/s.jsonl', [
      assistantLine({
        id: 'a',
        timestamp: '2026-03-01T10:00:00Z',
        model: 'claude-opus-4-5',
        input: 10,
        output: 5,
      }),
    ]);
    const cache = (tokens: Record<string, Record<string, number>>) =>
      writeFileSync(
        join(t.claudeDir, 'stats-cache.json'),
        JSON.stringify({
          lastComputedDate: '2026-03-01',
          dailyModelTokens: Object.entries(tokens).map(([date, tokensByModel]) => ({ date, tokensByModel })),
        }),
      );
    cache({ '2026-03-01': { 'claude-opus-4-5': 15 } });
    expect(runCtm(['ingest', '--once'], envFor(t)).stdout).not.toContain('stats-cache');
    writeFileSync(join(t.claudeDir, 'stats-cache.json'), '{"dailyModelTokens": 3}');
    const malformed = runCtm(['ingest', '--once'], envFor(t));
    expect(malformed.code).toBe(0);
    expect(malformed.stderr).toContain('stats-cache.json is malformed; not indexed');
    cache({ '2026-02-01': { 'claude-opus-4-5': 70 }, '2026-03-01': { 'claude-opus-4-5': 20 } });
    const lines = runCtm(['ingest', '--once'], envFor(t)).stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/^ready: /);
    expect(lines.at(-2)).toBe(
      'stats-cache.json disagrees with the transcripts on 1 day/model pair (largest: 2026-03-01 claude-opus-4-5: ' +
        'stats-cache 20, transcripts 15 input+output tokens); lists 1 day/model pair with no transcripts left ' +
        '(from 2026-02-01; deleted before ctm indexed them)',
    );
  });

  it('--claude-dir, --data-dir and --timezone flags override the environment', () => {
    const t = tree();
    t.write('p/s.jsonl', [assistantLine({ id: 'a', timestamp: '2026-03-01T20:00:00Z' })]);
    const env = envFor(t, { CTM_CLAUDE_DIR: join(t.root, 'nope'), CTM_DATA_DIR: join(t.root, 'unused') });
    const dataDir = join(t.root, 'flagged');
    const r = runCtm(
      ['ingest', '--once', '--claude-dir', t.claudeDir, '--data-dir', dataDir, '--timezone', 'Asia/Tokyo'],
      env,
    );
    expect(r.code).toBe(0);
    const report = runCtm(
      ['report', 'daily', '--json', '--data-dir', dataDir, '--timezone', 'Asia/Tokyo'],
      env,
    );
    expect(JSON.parse(report.stdout).daily.map((d: { date: string }) => d.date)).toEqual(['2026-03-02']);
  });

  it('describeStatsCache names the largest difference', () => {
    expect(describeStatsCache([])).toBeUndefined();
    const row = { claudeDir: '/c', version: 2, tokenKinds: 'input+output' as const };
    expect(
      describeStatsCache([
        { ...row, date: '2026-01-01', model: 'a', statsCacheTokens: 10, transcriptTokens: 11 },
        { ...row, date: '2026-01-02', model: 'b', statsCacheTokens: 5000, transcriptTokens: 1000 },
      ]),
    ).toBe(
      'stats-cache.json disagrees with the transcripts on 2 day/model pairs (largest: 2026-01-02 b: stats-cache 5,000, transcripts 1,000 input+output tokens)',
    );
    const v5 = { claudeDir: '/c', version: 5, tokenKinds: 'all' as const };
    expect(
      describeStatsCache([
        { ...v5, date: '2026-01-03', model: 'c', statsCacheTokens: 9, transcriptTokens: 7 },
      ]),
    ).toBe(
      'stats-cache.json disagrees with the transcripts on 1 day/model pair (largest: 2026-01-03 c: stats-cache 9, transcripts 7 tokens of all four kinds)',
    );
  });
});

describe('misconfiguration: one line naming the setting, exit 2', () => {
  const oneLine = (r: { code: number | null; stderr: string; stdout: string }, pattern: RegExp) => {
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  };

  it('no Claude dir: CTM_CLAUDE_DIR wrong, CLAUDE_CONFIG_DIR wrong, or nothing in the default places', () => {
    const t = tree();
    oneLine(
      runCtm(['ingest', '--once'], envFor(t, { CTM_CLAUDE_DIR: join(t.root, 'nope') })),
      /^ctm: CTM_CLAUDE_DIR: no Claude Code data found at .*nope \(no projects\/ folder\); set CTM_CLAUDE_DIR\n$/,
    );
    const { CTM_CLAUDE_DIR: _, ...noDir } = envFor(t);
    oneLine(
      runCtm(['ingest', '--once'], { ...noDir, CLAUDE_CONFIG_DIR: join(t.root, 'nope') }),
      /^ctm: CLAUDE_CONFIG_DIR: no Claude Code data found/,
    );
    oneLine(
      runCtm(['ingest', '--once'], noDir),
      new RegExp(
        `^ctm: CTM_CLAUDE_DIR: no Claude Code data found at ${t.root}/.config/claude, ${t.root}/.claude `,
      ),
    );
  });

  it('the default places are used when they exist (fake HOME)', () => {
    const t = tree();
    mkdirSync(join(t.root, '.claude', 'projects', 'p'), { recursive: true });
    writeFileSync(
      join(t.root, '.claude', 'projects', 'p', 's.jsonl'),
      assistantLine({ id: 'h', timestamp: at(0) }) + '\n',
    );
    const { CTM_CLAUDE_DIR: _, ...noDir } = envFor(t);
    const r = runCtm(['ingest', '--once'], noDir);
    expect(r.stdout).toMatch(/^1 files \(1 read\), 1 lines, 1 new messages/);
  });

  it('data dir not writable (a path under a regular file)', () => {
    const t = tree();
    writeFileSync(join(t.root, 'plain-file'), 'x');
    oneLine(
      runCtm(['ingest', '--once'], envFor(t, { CTM_DATA_DIR: join(t.root, 'plain-file', 'data') })),
      /^ctm: CTM_DATA_DIR: data dir .*plain-file\/data is not writable/,
    );
  });

  it('a corrupt database: garbage, or damaged pages behind a valid header', () => {
    const t = tree();
    t.write('p/s.jsonl', [assistantLine({ id: 'a', timestamp: at(0) })]);
    const dataDir = join(t.root, 'data');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'ctm.db'), Buffer.alloc(50_000, 'garbage '));
    for (const args of [
      ['ingest', '--once'],
      ['report', 'daily'],
    ])
      oneLine(
        runCtm(args, envFor(t)),
        /^ctm: CTM_DATA_DIR: cannot open the database .*ctm\.db: file is not a database\n$/,
      );
    // A real index, then pages overwritten.
    writeFileSync(join(dataDir, 'ctm.db'), '');
    const ok = runCtm(['ingest', '--once'], envFor(t, { CTM_DATA_DIR: join(t.root, 'data2') }));
    expect(ok.code).toBe(0);
    const db = join(t.root, 'data2', 'ctm.db');
    const bytes = readFileSync(db);
    bytes.fill(0xa5, 4096);
    writeFileSync(db, bytes);
    t.append('p/s.jsonl', [assistantLine({ id: 'b', timestamp: at(1) })]);
    oneLine(
      runCtm(['ingest', '--once'], envFor(t, { CTM_DATA_DIR: join(t.root, 'data2') })),
      /^ctm: CTM_DATA_DIR: .*(malformed|not a database)/,
    );
  });

  it('bad settings name their variable', () => {
    const t = tree();
    t.write('p/s.jsonl', [assistantLine({ id: 'a', timestamp: at(0) })]);
    oneLine(
      runCtm(['ingest', '--once'], envFor(t, { CTM_TZ: 'Moon/Base' })),
      /^ctm: CTM_TZ: unknown timezone/,
    );
    oneLine(
      runCtm(['ingest', '--once'], envFor(t, { CTM_PRICING_FILE: join(t.root, 'none.json') })),
      /^ctm: CTM_PRICING_FILE: cannot read/,
    );
    execFileSync('mkfifo', [join(t.root, 'prices.fifo')]);
    oneLine(
      runCtm(['ingest', '--once'], envFor(t, { CTM_PRICING_FILE: join(t.root, 'prices.fifo') })),
      /^ctm: CTM_PRICING_FILE: cannot read .*prices\.fifo \(not a regular file\)/,
    );
    writeFileSync(join(t.root, 'bad.json'), '{"models": {"x": {"input": "cheap"}}}');
    oneLine(
      runCtm(['ingest', '--once'], envFor(t, { CTM_PRICING_FILE: join(t.root, 'bad.json') })),
      /^ctm: CTM_PRICING_FILE: .*bad\.json has a bad entry at models\.x\./,
    );
  });

  it('an old Node gets a clear message, not a syntax error', () => {
    const r = spawnSync('/usr/bin/node', [ctmBin, 'report', 'daily'], { encoding: 'utf8' });
    const major = Number(
      spawnSync('/usr/bin/node', ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).stdout,
    );
    expect(major).toBeLessThan(22);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^ctm needs Node\.js 22\.12 or newer \(this is v\d+\.\d+\.\d+\)\. Run it through npm/,
    );
  });
});

describe('unreadable transcripts', () => {
  it('a file with mode 000 is skipped and counted when ctm runs as an unprivileged user', async () => {
    // root reads any file whatever its mode, so this runs the CLI as "nobody".
    const t = tree();
    t.write('p/ok.jsonl', [assistantLine({ id: 'ok', timestamp: at(0) })]);
    const locked = t.write('p/locked.jsonl', [assistantLine({ id: 'locked', timestamp: at(0) })]);
    mkdirSync(join(t.root, 'data'));
    for (const d of [t.root, t.claudeDir, join(t.claudeDir, 'projects'), t.path('p')]) chmodSync(d, 0o755);
    chmodSync(join(t.root, 'data'), 0o777);
    chmodSync(locked, 0);
    const child = spawnCtm(['ingest', '--once'], envFor(t), process.getuid?.() === 0 ? 65534 : undefined);
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(out).toMatch(/^2 files \(1 read\), 1 lines, 1 new messages, .*; skipped: file_unreadable 1\n/);
    expect(out).toContain(`  skipped ${locked} (file_unreadable)`);
  });
});

// A tree where order matters: streaming copies, resumed sessions copying earlier lines into new files,
// sidechain replays in subagent files, filler lines without usage.
function bigTree(t: FixtureTree, files: number, messagesPerFile: number, share = 1): void {
  const filler = 'x'.repeat(11_000);
  for (let f = 0; f < files; f++) {
    const session = `sess-${f}`;
    const lines: string[] = [];
    for (let m = 0; m < messagesPerFile; m++) {
      const id = `msg-${f}-${m}`;
      const ts = at(f * 60 + m / 10);
      const o = {
        id,
        sessionId: session,
        timestamp: ts,
        input: 3 + m,
        cacheRead: 1000 * m,
        model: 'claude-opus-4-6',
      };
      lines.push(assistantLine({ ...o, output: 2 }));
      lines.push(userLine(session, ts, filler));
      lines.push(assistantLine({ ...o, output: 100 + m }));
      lines.push(assistantLine({ ...o, output: 100 + m, ...(m % 7 === 0 ? { speed: 'fast' } : {}) }));
    }
    if (f > 0) {
      // A resumed session starts with copies of lines the previous one already holds.
      for (let m = 0; m < 5; m++)
        lines.unshift(
          assistantLine({
            id: `msg-${f - 1}-${m}`,
            sessionId: session,
            timestamp: at((f - 1) * 60 + m / 10),
            input: 3 + m,
            cacheRead: 1000 * m,
            output: 100 + m,
            model: 'claude-opus-4-6',
          }),
        );
    }
    const p = t.write(`proj-${f % 3}/${session}.jsonl`, lines.slice(0, Math.ceil(lines.length * share)));
    const replays = [];
    for (let m = 0; m < messagesPerFile; m += 5)
      replays.push(
        assistantLine({
          id: `msg-${f}-${m}`,
          requestId: `replay-${m}`,
          sessionId: session,
          isSidechain: true,
          timestamp: at(f * 60 + m / 10),
          output: 100 + m,
        }),
      );
    const sub = t.write(
      `proj-${f % 3}/${session}/subagents/agent-${f}.jsonl`,
      replays.slice(0, Math.ceil(replays.length * share)),
    );
    // Distinct mtimes fix the reading order: a replay file before or after its parent.
    const when = new Date(Date.parse('2026-06-01T00:00:00Z') + f * 10_000);
    utimesSync(p, when, when);
    const subWhen = new Date(when.getTime() + (f % 2 === 0 ? -5000 : 5000));
    utimesSync(sub, subWhen, subWhen);
  }
}

function snapshot(dbPath: string): { rows: unknown[]; files: number } {
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT key, session_id, day, hour, is_sidechain, speed, input_tokens, output_tokens, cache_read_tokens,
                total_tokens, cost_calc_usd FROM usage ORDER BY key`,
      )
      .all();
    const files = (db.prepare('SELECT count(*) AS n FROM files').get() as { n: number }).n;
    return { rows, files };
  } finally {
    db.close();
  }
}

describe('kill -9 durability', () => {
  let t: FixtureTree;
  beforeAll(() => {
    t = tree();
  });

  it('SIGKILL at random moments mid-pass, then a re-run: the index equals one clean pass', async () => {
    // The killed index first holds a tenth of every file (so kills land in incremental reads); the rest is
    // larger than one ingest batch and than the reader-thread threshold, so kills fall between commits of
    // one pass and while both threads work...
    bigTree(t, 40, 150, 0.1);
    const killed = envFor(t, { CTM_DATA_DIR: join(t.root, 'killed') });
    expect(runCtm(['ingest', '--once'], killed).code).toBe(0);
    // ...then the files grow to their full length, and the clean index reads them once.
    bigTree(t, 40, 150);
    const clean = envFor(t, { CTM_DATA_DIR: join(t.root, 'clean') });
    const started = performance.now();
    const r = runCtm(['ingest', '--once'], clean);
    const cleanMs = performance.now() - started;
    expect(r.code).toBe(0);
    const expected = snapshot(join(t.root, 'clean', 'ctm.db'));
    expect(expected.rows.length).toBe(40 * 150);

    let seed = 20260301;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const kills: string[] = [];
    const killedDb = join(t.root, 'killed', 'ctm.db');
    const stage1 = readFileSync(killedDb);
    // Kill runs at random moments. A run that finishes before its kill restarts the experiment from the
    // partial index with a shorter fuse (the machine may be faster or slower than the clean pass suggested).
    let fuse = cleanMs * 0.8;
    let mid = 0;
    for (let i = 0; i < 16 && mid < 3; i++) {
      const child = spawnCtm(['ingest', '--once'], killed);
      const delay = 30 + random() * fuse;
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      const [code, signal] = await once(child, 'exit');
      clearTimeout(timer);
      kills.push(
        `${delay.toFixed(0)} ms → ${signal ?? `exit ${code}`} (${snapshot(killedDb).rows.length} messages)`,
      );
      if (signal === 'SIGKILL') mid++;
      else {
        expect(code).toBe(0);
        rmSync(join(t.root, 'killed'), { recursive: true });
        mkdirSync(join(t.root, 'killed'));
        writeFileSync(killedDb, stage1);
        fuse /= 2;
      }
    }
    const last = runCtm(['ingest', '--once'], killed);
    expect(last.code).toBe(0);
    console.log(`clean pass ${cleanMs.toFixed(0)} ms; ${kills.join('; ')}`);
    expect(mid).toBeGreaterThanOrEqual(2);
    const actual = snapshot(join(t.root, 'killed', 'ctm.db'));
    expect(actual.files).toBe(expected.files);
    expect(actual.rows.length).toBe(expected.rows.length);
    expect(actual.rows).toEqual(expected.rows);
  }, 60_000);

  it('SIGKILL of a first run (an index built without a journal): no index or a whole one, never a part', async () => {
    const first = tree();
    bigTree(first, 40, 150);
    const clean = envFor(first, { CTM_DATA_DIR: join(first.root, 'clean') });
    const started = performance.now();
    expect(runCtm(['ingest', '--once'], clean).code).toBe(0);
    const cleanMs = performance.now() - started;
    const expected = snapshot(join(first.root, 'clean', 'ctm.db'));
    expect(expected.rows.length).toBe(40 * 150);

    let seed = 20261206;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const dataDir = join(first.root, 'killed');
    const killedDb = join(dataDir, 'ctm.db');
    mkdirSync(dataDir);
    const kills: string[] = [];
    let mid = 0;
    let fuse = cleanMs * 0.8;
    for (let i = 0; i < 16 && mid < 3; i++) {
      rmSync(killedDb, { force: true }); // each try is a first run; partial files of killed tries stay
      const child = spawnCtm(['ingest', '--once'], envFor(first, { CTM_DATA_DIR: dataDir }));
      const delay = 30 + random() * fuse;
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      const [code, signal] = await once(child, 'exit');
      clearTimeout(timer);
      const left = readdirSync(dataDir);
      kills.push(`${delay.toFixed(0)} ms → ${signal ?? `exit ${code}`} (${left.join(', ')})`);
      if (signal === 'SIGKILL') mid++;
      else {
        expect(code).toBe(0);
        fuse /= 2;
      }
      // What a kill leaves is no index at all, or the whole of it (killed after it was put in place).
      if (left.includes('ctm.db')) expect(snapshot(killedDb)).toEqual(expected);
    }
    rmSync(killedDb, { force: true });
    const last = runCtm(['ingest', '--once'], envFor(first, { CTM_DATA_DIR: dataDir }));
    expect(last.code).toBe(0);
    console.log(`first run ${cleanMs.toFixed(0)} ms; ${kills.join('; ')}`);
    expect(mid).toBeGreaterThanOrEqual(2);
    expect(snapshot(killedDb)).toEqual(expected);
    // The killed runs' partial files are gone: the next first run deletes those of runs no longer running.
    expect(readdirSync(dataDir).filter((f) => f.includes('.partial-'))).toEqual([]);
  }, 60_000);

  it('a first run whose index another writer made meanwhile reads everything into that one', async () => {
    const t = tree();
    bigTree(t, 40, 150);
    const dataDir = join(t.root, 'data');
    mkdirSync(dataDir);
    const child = spawnCtm(['ingest', '--once'], envFor(t));
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 20_000;
    while (!readdirSync(dataDir).some((f) => f.includes('.partial-'))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no partial index: ${out}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    // Another writer makes the index while the first run builds its own (an empty one, as `ctm check` would).
    openDb(join(dataDir, 'ctm.db')).close();
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    const index = snapshot(join(dataDir, 'ctm.db'));
    expect(index.rows.length).toBe(40 * 150);
    expect(out).toMatch(/, 6,000 new messages/);
    expect(readdirSync(dataDir).filter((f) => f.includes('.partial-'))).toEqual([]);
  }, 30_000);
});

describe('ctm ingest (watch mode)', () => {
  it('announces when it watches, picks up an appended line, and stops cleanly on SIGTERM', async () => {
    const t = tree();
    t.write('p/s.jsonl', [assistantLine({ id: 'first', timestamp: at(0) })]);
    const child = spawnCtm(['ingest'], envFor(t));
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    const deadline = Date.now() + 10_000;
    while (!out.includes('watching for changes')) {
      if (Date.now() > deadline) throw new Error(`no "watching" line: ${out}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const written = performance.now();
    t.append('p/s.jsonl', [assistantLine({ id: 'second', timestamp: at(1) })]);
    const db = new Database(join(t.root, 'data', 'ctm.db'), { readonly: true });
    try {
      const has = db.prepare("SELECT 1 FROM usage WHERE message_id = 'second'");
      while (!has.get()) {
        if (performance.now() - written > 5000) throw new Error('appended line not ingested within 5 s');
        await new Promise((r) => setTimeout(r, 5));
      }
      console.log(
        `ctm ingest (watch): appended line in SQLite after ${(performance.now() - written).toFixed(0)} ms`,
      );
      expect(performance.now() - written).toBeLessThan(1000);
    } finally {
      db.close();
    }
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });
});
