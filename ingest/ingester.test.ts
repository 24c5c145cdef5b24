import { afterEach, describe, expect, it } from 'vitest';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assistantLine } from '../test/fixtures/fixture-lines.ts';
import { at, fixtureTree, tempDir, testIndex, usageRows } from '../test/fixtures/fixture-tree.ts';
import { usageByPeriod } from '../src/db/queries/usage-by-period.ts';
import { readMeta } from './reconcile-settings.ts';
import { createIngester } from './ingester.ts';
import { openDb } from '../src/db/open.ts';
import { silentLogger, type Logger } from '../src/log.ts';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function setup() {
  const root = tempDir();
  const tree = fixtureTree(root);
  cleanups.push(() => tree.remove());
  const open = (options: Parameters<typeof testIndex>[2] = {}) => {
    const index = testIndex([tree.claudeDir], root, options);
    cleanups.push(() => index.close());
    return index;
  };
  return { root, tree, open };
}

describe('settings changes are applied to stored rows', () => {
  it('CTM_TZ change re-buckets stored days and hours', () => {
    const { tree, open } = setup();
    tree.write('p/s.jsonl', [
      assistantLine({ id: 'late', timestamp: '2026-03-01T23:30:00Z' }),
      assistantLine({ id: 'early', timestamp: '2026-03-02T01:00:00Z' }),
    ]);
    const utc = open({ timezone: 'UTC' });
    utc.ingester.pass();
    expect(usageRows(utc.db).map((r) => [r.messageId, r.day, r.hour])).toEqual([
      ['early', '2026-03-02', 1],
      ['late', '2026-03-01', 23],
    ]);
    utc.close();
    const tokyo = open({ timezone: 'Asia/Tokyo' });
    expect(readMeta(tokyo.db, 'timezone')).toBe('Asia/Tokyo');
    expect(usageRows(tokyo.db).map((r) => [r.messageId, r.day, r.hour])).toEqual([
      ['early', '2026-03-02', 10],
      ['late', '2026-03-02', 8],
    ]);
    const la = open({ timezone: 'America/Los_Angeles' });
    expect(usageRows(la.db).map((r) => [r.day, r.hour])).toEqual([
      ['2026-03-01', 17],
      ['2026-03-01', 15],
    ]);
  });

  it('a changed pricing file reprices stored rows (and unpriced models become priced)', () => {
    const { root, tree, open } = setup();
    tree.write('p/s.jsonl', [
      assistantLine({ id: 'a', timestamp: at(0), model: 'claude-opus-4-5', input: 1_000_000, output: 0 }),
      assistantLine({ id: 'b', timestamp: at(1), model: 'acme-7', input: 1_000_000, output: 0 }),
    ]);
    const first = open();
    first.ingester.pass();
    expect(usageRows(first.db).map((r) => [r.model, r.costCalc])).toEqual([
      ['claude-opus-4-5', 5],
      ['acme-7', null],
    ]);
    first.close();
    const pricingFile = join(root, 'pricing.json');
    const rates = { input: 2, output: 2, cacheWrite5m: 2, cacheWrite1h: 2, cacheRead: 2 };
    writeFileSync(
      pricingFile,
      JSON.stringify({ models: { 'acme-7': rates, 'claude-opus-4-5': { ...rates, input: 4 } } }),
    );
    const second = open({ pricingFile });
    expect(usageRows(second.db).map((r) => [r.model, r.costCalc])).toEqual([
      ['claude-opus-4-5', 4],
      ['acme-7', 2],
    ]);
    second.close();
    const back = open();
    expect(usageRows(back.db).map((r) => r.costCalc)).toEqual([5, null]);
  });

  it("a Bedrock name is stored as the log spells it, so its regional endpoint's premium survives a repricing", () => {
    const { root, tree, open } = setup();
    const line = (id: string, model: string) =>
      assistantLine({ id, timestamp: at(0), model, input: 1_000_000, output: 0 });
    tree.write('p/s.jsonl', [
      line('a', 'us.anthropic.claude-opus-4-5-20251101-v1:0'),
      line('b', 'global.anthropic.claude-opus-4-5-20251101-v1:0'),
      line('c', 'anthropic.claude-opus-4-1-20250805-v1:0'),
    ]);
    const first = open();
    first.ingester.pass();
    const priced = (db: typeof first.db) =>
      usageRows(db).map((r) => [r.model, Math.round(r.costCalc! * 1e9) / 1e9]);
    expect(priced(first.db)).toEqual([
      ['us.anthropic.claude-opus-4-5-20251101-v1:0', 5.5],
      ['global.anthropic.claude-opus-4-5-20251101-v1:0', 5],
      ['anthropic.claude-opus-4-1-20250805-v1:0', 15],
    ]);
    first.close();
    const pricingFile = join(root, 'pricing.json');
    const rates = { input: 4, output: 4, cacheWrite5m: 4, cacheWrite1h: 4, cacheRead: 4 };
    writeFileSync(pricingFile, JSON.stringify({ models: { 'claude-opus-4-5': rates } }));
    const second = open({ pricingFile });
    expect(priced(second.db)).toEqual([
      ['us.anthropic.claude-opus-4-5-20251101-v1:0', 4.4],
      ['global.anthropic.claude-opus-4-5-20251101-v1:0', 4],
      ['anthropic.claude-opus-4-1-20250805-v1:0', 15],
    ]);
  });
});

describe('stats-cache.json', () => {
  it('is indexed on a full pass and disagreements are visible; absent or malformed is handled', async () => {
    const { tree, open } = setup();
    const { statsCacheDisagreements } = await import('../src/db/queries/stats-cache-disagreements.ts');
    tree.write('p/s.jsonl', [
      assistantLine({
        id: 'a',
        timestamp: '2026-03-01T10:00:00Z',
        model: 'claude-opus-4-5',
        input: 10,
        output: 5,
      }),
      assistantLine({
        id: 'b',
        timestamp: '2026-03-02T10:00:00Z',
        model: 'claude-opus-4-5',
        input: 10,
        output: 5,
      }),
    ]);
    const { db, ingester } = open();
    ingester.pass(); // absent: nothing to compare
    expect(statsCacheDisagreements(db)).toEqual([]);
    writeFileSync(join(tree.claudeDir, 'stats-cache.json'), '{ not json');
    expect(() => ingester.pass()).not.toThrow();
    expect(statsCacheDisagreements(db)).toEqual([]);
    writeFileSync(
      join(tree.claudeDir, 'stats-cache.json'),
      JSON.stringify({
        version: 2,
        lastComputedDate: '2026-03-02',
        dailyActivity: [{ date: '2026-03-01', messageCount: 4, sessionCount: 1, toolCallCount: 2 }],
        dailyModelTokens: [
          { date: '2026-03-01', tokensByModel: { 'claude-opus-4-5': 15 } },
          { date: '2026-03-02', tokensByModel: { 'claude-opus-4-5': 99 } },
        ],
        modelUsage: {
          'claude-opus-4-5': {
            inputTokens: 20,
            outputTokens: 10,
            cacheReadInputTokens: 0,
            cacheCreationInputTokens: 0,
          },
        },
      }),
    );
    ingester.pass();
    expect(statsCacheDisagreements(db)).toEqual([
      {
        claudeDir: tree.claudeDir,
        date: '2026-03-02',
        model: 'claude-opus-4-5',
        version: 1,
        tokenKinds: 'input+output',
        statsCacheTokens: 99,
        transcriptTokens: 15,
      },
    ]);
    expect(db.prepare('SELECT count(*) AS n FROM stats_cache_activity').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT count(*) AS n FROM stats_cache_models').get()).toEqual({ n: 1 });
    // Wrong shape (a field of the wrong type) counts as malformed: the previous index stays.
    writeFileSync(join(tree.claudeDir, 'stats-cache.json'), JSON.stringify({ dailyModelTokens: 'x' }));
    ingester.pass();
    expect(statsCacheDisagreements(db)).toHaveLength(1);
  });
});

describe('watch mode', () => {
  it('a line appended to a transcript is in SQLite within a second (target 200 ms)', async () => {
    const { tree, open } = setup();
    tree.write('p/s.jsonl', [assistantLine({ id: 'first', timestamp: at(0) })]);
    const { db, ingester } = open();
    ingester.pass();
    const stop = await ingester.watch(() => {});
    cleanups.push(stop);
    const has = db.prepare('SELECT 1 FROM usage WHERE message_id = ?');
    const figures: number[] = [];
    for (let i = 0; i < 5; i++) {
      const id = `watched-${i}`;
      const written = performance.now();
      tree.append('p/s.jsonl', [assistantLine({ id, timestamp: at(i + 1) })]);
      while (!has.get(id)) {
        if (performance.now() - written > 5000) throw new Error(`${id} not ingested after 5 s`);
        await new Promise((r) => setTimeout(r, 2));
      }
      figures.push(performance.now() - written);
    }
    // A new file in a new project folder is picked up too.
    const written = performance.now();
    tree.write('q/new.jsonl', [assistantLine({ id: 'new-file', timestamp: at(9) })]);
    while (!has.get('new-file')) {
      if (performance.now() - written > 5000) throw new Error('new file not ingested after 5 s');
      await new Promise((r) => setTimeout(r, 2));
    }
    figures.push(performance.now() - written);
    console.log(`watch: line written → in SQLite: ${figures.map((f) => f.toFixed(0)).join(', ')} ms`);
    expect(Math.max(...figures)).toBeLessThan(1000);
  });
});

describe('watch mode over a symlink loop', () => {
  it('gets ready and still picks up appends', async () => {
    const { tree, open } = setup();
    tree.write('p/s.jsonl', [assistantLine({ id: 'a', timestamp: at(0) })]);
    symlinkSync('..', tree.path('p/loop'));
    symlinkSync(tree.path('p'), tree.path('p/self'));
    const { db, ingester } = open();
    ingester.pass();
    const stop = await ingester.watch(() => {});
    cleanups.push(stop);
    tree.append('p/s.jsonl', [assistantLine({ id: 'b', timestamp: at(1) })]);
    const has = db.prepare("SELECT 1 FROM usage WHERE message_id = 'b'");
    const started = Date.now();
    while (!has.get() && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 5));
    expect(has.get()).toBeTruthy();
  });
});

describe('reports over what was ingested', () => {
  it('--timezone other than the stored one buckets by the asked timezone', () => {
    const { tree, open } = setup();
    tree.write('p/s.jsonl', [
      assistantLine({ id: 'a', timestamp: '2026-03-01T23:30:00Z', input: 1, output: 0 }),
      assistantLine({ id: 'b', timestamp: '2026-03-02T12:00:00Z', input: 10, output: 0 }),
    ]);
    const { db, ingester } = open({ timezone: 'UTC' });
    ingester.pass();
    const days = (timezone: string, extra = {}) =>
      usageByPeriod(db, 'day', { timezone, costMode: 'calculate', ...extra }).map((r) => [
        r.period,
        r.inputTokens,
      ]);
    expect(days('UTC')).toEqual([
      ['2026-03-01', 1],
      ['2026-03-02', 10],
    ]);
    expect(days('Asia/Tokyo')).toEqual([['2026-03-02', 11]]);
    expect(days('America/New_York')).toEqual([
      ['2026-03-01', 1],
      ['2026-03-02', 10],
    ]);
    expect(days('Pacific/Kiritimati', { since: '2026-03-03' })).toEqual([['2026-03-03', 10]]);
  });
});

describe('skipped input', () => {
  it('is warned of once: a skip met again on every rescan is not repeated, a new one is told, one that came back too', () => {
    const { root, tree } = setup();
    const session = tree.write('p/s.jsonl', [assistantLine({ id: 'a', timestamp: at(0) })]);
    const broken = tree.path('p/broken.jsonl');
    symlinkSync(tree.path('p/nowhere.jsonl'), broken);
    const outside = join(root, 'elsewhere.jsonl');
    writeFileSync(outside, assistantLine({ id: 'outside', timestamp: at(1) }) + '\n');
    symlinkSync(outside, tree.path('p/linked.jsonl'));
    const warned: unknown[][] = [];
    const log: Logger = {
      ...silentLogger,
      warn: (msg, fields) => {
        if (msg === 'skipped input') warned.push((fields as { first: unknown[] }).first);
      },
    };
    const db = openDb(join(root, 'ctm.db'));
    cleanups.push(() => void db.close());
    const ingester = createIngester(
      db,
      {
        claudeDirs: [tree.claudeDir],
        claudeDirsSource: 'CTM_CLAUDE_DIR',
        timezone: 'UTC',
        pricingFile: undefined,
        rescanSeconds: 3600,
      },
      log,
    );
    const first = ingester.pass();
    expect(first.skipped).toEqual({ broken_symlink: 1, symlink_outside_claude_dirs: 1 });
    expect(usageRows(db).map((r) => r.messageId)).toEqual(['a']);
    expect(warned).toEqual([
      [`${broken} (broken_symlink)`, `${tree.path('p/linked.jsonl')} (symlink_outside_claude_dirs)`],
    ]);
    for (let i = 0; i < 3; i++) expect(ingester.pass().newSkips).toBe(0);
    // A watch pass meets the same links in discovery: not told again; its own bad line is.
    tree.append('p/s.jsonl', ['{"type":"assistant","message":{"usage":{broken']);
    const watched = ingester.pass(new Set([session]));
    expect(watched.newSkips).toBe(1);
    expect(warned).toHaveLength(2);
    expect(warned[1]).toEqual([`${session}:2 (invalid_json)`]);
    expect(ingester.pass().newSkips).toBe(0);
    // Fixed, then broken again: told again.
    rmSync(broken);
    ingester.pass();
    symlinkSync(tree.path('p/nowhere.jsonl'), broken);
    expect(ingester.pass().newSkips).toBe(1);
    expect(warned).toEqual([...warned.slice(0, 2), [`${broken} (broken_symlink)`]]);
  });
});
