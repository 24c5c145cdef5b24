// usage_daily (migrations 003, 008): filled from existing rows when an older index is migrated, kept in step by each
// commit's deltas (every ingest test also checks it against a fresh sum when it closes its index), rebuilt after
// settings change every row, and read by the daily/weekly/monthly reports with the same results as summing the
// messages themselves.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDb, type Db } from './open.ts';
import { loadMigrations, migrate } from './migrate.ts';
import { usageByPeriod, type Period } from './queries/usage-by-period.ts';
import { rollupDrift } from '../../test/fixtures/fixture-tree.ts';
import {
  createDailyRollup,
  rebuildDailyRollup,
  rebuildProjectCwds,
  type RollupRow,
} from '../../ingest/daily-rollup.ts';
import { rollupRow } from '../../test/fixtures/rollup-row.ts';
import type { CostMode } from './day-bucket.ts';

const dir = mkdtempSync(join(tmpdir(), 'ctm-rollup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  key: string;
  day: string;
  model?: string;
  project?: string;
  input?: number;
  logged?: number | null;
  calc?: number | null;
  superseded?: number;
  messageId?: string;
  sidechain?: number;
  ts?: number | null;
  cwd?: string | null;
  session?: string;
}

function insert(db: Db, r: Row, verb = 'INSERT'): void {
  db.prepare(
    `${verb} INTO messages (key, message_id, file_id, line_no, ts, day, hour, model, session_id, project,
       input_tokens, output_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, total_tokens,
       cost_logged_usd, cost_calc_usd, superseded, is_sidechain, cwd)
     VALUES (@key, coalesce(@messageId, @key), 1, 1, coalesce(@ts, unixepoch(@day) * 1000), @day, 0, @model, @session,
       @project, @input, 2, 3, 4, 5, @input + 14, @logged, @calc, @superseded, @sidechain, @cwd)`,
  ).run({
    model: 'claude-opus-4-5',
    project: 'p',
    input: 10,
    logged: null,
    calc: 0.5,
    superseded: 0,
    messageId: null,
    sidechain: 0,
    ts: null,
    cwd: null,
    session: 's',
    ...r,
  });
}

function daily(db: Db): Record<string, number | string>[] {
  return db.prepare('SELECT * FROM usage_daily ORDER BY day, model, project, session_id').all() as Record<
    string,
    number | string
  >[];
}

function fresh(name: string): Db {
  const db = openDb(join(dir, `${name}.db`));
  db.prepare(`INSERT INTO files (id, path, claude_dir, project) VALUES (1, 'f', 'c', 'p')`).run();
  return db;
}

describe('usage_daily', () => {
  it('is filled from the messages already stored when an older index is migrated', () => {
    const path = join(dir, 'old.db');
    const raw = new Database(path);
    migrate(
      raw,
      loadMigrations().filter((m) => m.version < 3),
    );
    raw.prepare(`INSERT INTO files (id, path, claude_dir, project) VALUES (1, 'f', 'c', 'p')`).run();
    insert(raw, { key: 'a', day: '2026-03-01' });
    insert(raw, { key: 'b', day: '2026-03-01', logged: 2 });
    insert(raw, { key: 'c', day: '2026-03-01', calc: null });
    // A sidechain replay of a's message, superseded before 005 and folded into it since.
    insert(raw, { key: 'd', messageId: 'a', sidechain: 1, day: '2026-03-02', superseded: 1 });
    raw.close();
    const db = openDb(path);
    expect(daily(db)).toEqual([
      expect.objectContaining({
        day: '2026-03-01',
        messages: 3,
        input_tokens: 30,
        cost_auto_usd: 2.5,
        cost_calc_usd: 1,
        cost_display_usd: 2,
        unpriced_auto: 1,
        unpriced_calc: 1,
      }),
    ]);
    expect(rollupDrift(db)).toEqual([]);
    db.close();
  });

  it('a commit adds what arrives and subtracts what leaves; a group left empty is deleted', () => {
    const db = fresh('deltas');
    const begin = createDailyRollup(db);
    const first = begin();
    first.add(rollupRow({}), 1);
    first.add(rollupRow({ input: 20, totalTokens: 34, costLogged: 2 }), 1);
    first.add(rollupRow({ project: 'q', costCalc: null }), 1);
    first.apply();
    expect(daily(db)).toEqual([
      expect.objectContaining({ project: 'p', messages: 2, input_tokens: 30, cost_auto_usd: 2.5 }),
      expect.objectContaining({ project: 'q', messages: 1, unpriced_auto: 1, unpriced_calc: 1 }),
    ]);
    const second = begin();
    second.add(rollupRow({ project: 'q', costCalc: null }), -1);
    second.add(rollupRow({}), -1);
    second.apply();
    expect(daily(db)).toEqual([
      expect.objectContaining({
        project: 'p',
        messages: 1,
        input_tokens: 20,
        cost_auto_usd: 2,
        cost_calc_usd: 0.5,
        cost_display_usd: 2,
        unpriced_auto: 0,
      }),
    ]);
    db.close();
  });

  it("keeps each session's group span and least working directory, read again when a row leaves", () => {
    const db = fresh('span');
    const t = Date.parse('2026-03-01T10:00:00Z');
    const rows = [
      { key: 'a', ts: t, cwd: '/home/p/sub' },
      { key: 'b', ts: t + 60_000, cwd: '/home/p' },
      { key: 'c', ts: t + 120_000, cwd: '/home/p/sub' },
      { key: 'd', ts: t + 30_000, cwd: '/home/p', session: 'other' },
    ];
    const toRollup = (r: (typeof rows)[number]): RollupRow =>
      rollupRow({ sessionId: r.session ?? 's', ts: r.ts, cwd: r.cwd });
    const begin = createDailyRollup(db);
    const first = begin();
    for (const r of rows) {
      insert(db, { day: '2026-03-01', ...r });
      first.add(toRollup(r), 1);
    }
    first.apply();
    const spans = () => daily(db).map((r) => [r.session_id, r.messages, r.first_ts, r.last_ts, r.cwd]);
    expect(spans()).toEqual([
      ['other', 1, t + 30_000, t + 30_000, '/home/p'],
      ['s', 3, t, t + 120_000, '/home/p'],
    ]);
    // The first and the root-directory rows leave (replaced by copies elsewhere): the span and directory are
    // the remaining message's.
    const second = begin();
    for (const key of ['a', 'b']) {
      db.prepare('UPDATE messages SET superseded = 1 WHERE key = ?').run(key);
      second.add(toRollup(rows.find((r) => r.key === key)!), -1);
    }
    second.apply();
    expect(spans()).toEqual([
      ['other', 1, t + 30_000, t + 30_000, '/home/p'],
      ['s', 1, t + 120_000, t + 120_000, '/home/p/sub'],
    ]);
    expect(rollupDrift(db)).toEqual([]);
    db.close();
  });

  it('keeps project_cwds: a pair arrives with its first counted message and leaves with its last', () => {
    const db = fresh('pairs');
    const begin = createDailyRollup(db);
    const pairs = () => db.prepare('SELECT project, cwd FROM project_cwds ORDER BY 1, 2').all();
    const arrive = (key: string, cwd: string | null) => {
      insert(db, { key, day: '2026-03-01', cwd });
      const commit = begin();
      commit.add(rollupRow({ cwd }), 1);
      commit.apply();
    };
    arrive('a', '/repo');
    arrive('b', '/repo/sub');
    arrive('c', '/repo/sub');
    arrive('d', null);
    expect(pairs()).toEqual([
      { project: 'p', cwd: '' },
      { project: 'p', cwd: '/repo' },
      { project: 'p', cwd: '/repo/sub' },
    ]);
    // b leaves for a copy naming /repo: /repo/sub stays with c; then c leaves for good, and so does the pair.
    insert(db, { key: 'b', day: '2026-03-01', cwd: '/repo' }, 'INSERT OR REPLACE');
    const replaced = begin();
    replaced.add(rollupRow({ cwd: '/repo/sub' }), -1);
    replaced.add(rollupRow({ cwd: '/repo' }), 1);
    replaced.apply();
    expect(pairs()).toHaveLength(3);
    db.prepare(`DELETE FROM messages WHERE key = 'c'`).run();
    const gone = begin();
    gone.add(rollupRow({ cwd: '/repo/sub' }), -1);
    // A deferred commit (a cold load's) keeps no sums but its pairs all the same.
    const deferred = begin(true);
    insert(db, { key: 'e', day: '2026-03-01', project: 'q', cwd: '/q' });
    deferred.add(rollupRow({ project: 'q', cwd: '/q' }), 1);
    deferred.merge(gone);
    deferred.apply();
    expect(pairs()).toEqual([
      { project: 'p', cwd: '' },
      { project: 'p', cwd: '/repo' },
      { project: 'q', cwd: '/q' },
    ]);
    db.close();
  });

  it('is rebuilt from the messages after every row was re-bucketed or repriced', () => {
    const db = fresh('rebuild');
    insert(db, { key: 'a', day: '2026-03-01' });
    insert(db, { key: 'b', day: '2026-03-02', model: 'claude-haiku-4-5' });
    insert(db, { key: 'c', day: '2026-03-02', superseded: 1 });
    db.prepare(`UPDATE messages SET day = '2026-02-28', cost_calc_usd = NULL WHERE key = 'a'`).run();
    rebuildDailyRollup(db);
    rebuildProjectCwds(db);
    expect(rollupDrift(db)).toEqual([]);
    expect(daily(db).map((r) => [r.day, r.model, r.messages, r.unpriced_calc])).toEqual([
      ['2026-02-28', 'claude-opus-4-5', 1, 1],
      ['2026-03-02', 'claude-haiku-4-5', 1, 0],
    ]);
    db.close();
  });

  it('drift is detected (the check the ingest tests run on every index they close)', () => {
    const db = fresh('drift');
    insert(db, { key: 'a', day: '2026-03-01' });
    rebuildDailyRollup(db);
    rebuildProjectCwds(db);
    expect(rollupDrift(db)).toEqual([]);
    db.prepare('UPDATE usage_daily SET input_tokens = input_tokens + 1').run();
    expect(rollupDrift(db)).toHaveLength(1);
    db.prepare(
      `INSERT INTO usage_daily SELECT '2026-01-01', model, project, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                  machine, user_name, session_id, first_ts, last_ts, cwd FROM usage_daily`,
    ).run();
    expect(rollupDrift(db)).toHaveLength(2);
    // A project and working directory pair no counted message names, and one missing.
    db.prepare(`UPDATE project_cwds SET cwd = '/elsewhere'`).run();
    expect(rollupDrift(db).slice(2)).toEqual([
      {
        group: expect.objectContaining({ table: 'project_cwds', cwd: '' }),
        stored: null,
        fresh: { pairs: 1 },
      },
      { group: expect.objectContaining({ cwd: '/elsewhere' }), stored: { pairs: 1 }, fresh: null },
    ]);
    db.close();
  });

  it.each<[Period, CostMode]>([
    ['day', 'auto'],
    ['week', 'calculate'],
    ['month', 'display'],
  ])('%s reports (%s) read the rollup and match summing the messages', (period, costMode) => {
    const db = fresh(`report-${period}`);
    db.prepare(`INSERT INTO meta VALUES ('timezone', 'UTC')`).run();
    let n = 0;
    for (const day of ['2026-02-27', '2026-03-01', '2026-03-02', '2026-03-09', '2026-04-01']) {
      for (const model of ['claude-opus-4-5', 'claude-haiku-4-5', 'acme-unpriced']) {
        insert(db, {
          key: `k${n++}`,
          day,
          model,
          project: n % 2 ? 'p' : 'q',
          input: n * 3,
          logged: n % 3 || model === 'acme-unpriced' ? null : n / 7,
          calc: model === 'acme-unpriced' ? null : n / 11,
        });
      }
    }
    rebuildDailyRollup(db);
    const filter = { timezone: 'UTC', costMode, since: '2026-02-28', project: 'p' };
    const rollup = usageByPeriod(db, period, filter);
    // The same report with the rollup hidden: an index whose schema predates it.
    db.pragma('user_version = 2');
    const scanned = usageByPeriod(db, period, filter);
    db.pragma(`user_version = ${loadMigrations().at(-1)!.version}`);
    expect(rollup.length).toBeGreaterThan(1);
    expect(rollup.map(({ cost, ...rest }) => rest)).toEqual(scanned.map(({ cost, ...rest }) => rest));
    rollup.forEach((r, i) => expect(r.cost).toBeCloseTo(scanned[i]!.cost, 12));
    expect(rollup.some((r) => r.unpricedMessages > 0)).toBe(costMode !== 'display');
    db.close();
  });
});
