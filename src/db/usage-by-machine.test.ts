// usage_by_machine and usage_by_day (migration 009) and usage_by_project by day and month (012): filled from usage_daily when an existing index is
// upgraded in place, then kept equal to usage_daily's sums over projects and sessions by its triggers, through
// every kind of change a writer makes: a group arriving, growing, shrinking, emptied and deleted, and the
// whole rollup rebuilt.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDb, type Db } from './open.ts';
import { latestVersion, loadMigrations, migrate } from './migrate.ts';
import { createDailyRollup, rebuildDailyRollup, type RollupRow } from '../../ingest/daily-rollup.ts';
import { rollupRow } from '../../test/fixtures/rollup-row.ts';

const dir = mkdtempSync(join(tmpdir(), 'ctm-by-machine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SUMS = `sum(messages) AS messages, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
  sum(cache_write_5m_tokens) AS cache_write_5m_tokens, sum(cache_write_1h_tokens) AS cache_write_1h_tokens,
  sum(cache_read_tokens) AS cache_read_tokens, sum(total_tokens) AS total_tokens,
  round(total(cost_auto_usd), 9) AS cost_auto_usd, round(total(cost_calc_usd), 9) AS cost_calc_usd,
  round(total(cost_display_usd), 9) AS cost_display_usd, sum(unpriced_auto) AS unpriced_auto,
  sum(unpriced_calc) AS unpriced_calc, sum(web_search_requests) AS web_search_requests`;

/** Each derived table as stored, and as summed afresh from usage_daily: they must be equal. */
function derived(db: Db, table: keyof typeof KEYS) {
  const [from, stored, fresh] = KEYS[table];
  const read = (source: string, keys: string) =>
    db.prepare(`SELECT ${keys}, ${SUMS} FROM ${source} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`).all();
  return { stored: read(from, stored), fresh: read('usage_daily', fresh) };
}

/** Each table (and its rows), its key columns as stored and as usage_daily gives them (four, padded). */
const KEYS = {
  usage_by_machine: ['usage_by_machine', 'day, machine, user_name, model', 'day, machine, user_name, model'],
  usage_by_day: ['usage_by_day', 'day, machine, user_name, 0', 'day, machine, user_name, 0'],
  'usage_by_project by day': [
    `usage_by_project WHERE grain = 'day'`,
    'period AS day, project, 0, 0',
    'day, project, 0, 0',
  ],
  'usage_by_project by month': [
    `usage_by_project WHERE grain = 'month'`,
    'period AS month, project, 0, 0',
    'substr(day, 1, 7) AS month, project, 0, 0',
  ],
} as const;

function expectInStep(db: Db): void {
  for (const table of Object.keys(KEYS) as (keyof typeof KEYS)[]) {
    const { stored, fresh } = derived(db, table);
    expect(stored, table).toEqual(fresh);
  }
}

const row = (o: Partial<RollupRow>): RollupRow =>
  rollupRow({ webSearchRequests: 1, costCalc: 0.125, sessionId: 's1', ...o });

function insertMessage(db: Database.Database, key: string, r: RollupRow): void {
  db.prepare(
    `INSERT INTO messages (key, message_id, file_id, line_no, ts, day, hour, model, session_id, project,
       input_tokens, output_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, total_tokens,
       web_search_requests, cost_logged_usd, cost_calc_usd, superseded, machine, user_name)
     VALUES (?, ?, 1, 1, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
  ).run(
    key,
    key,
    r.ts,
    r.day,
    r.model,
    r.sessionId,
    r.project,
    r.input,
    r.output,
    r.cacheWrite5m,
    r.cacheWrite1h,
    r.cacheRead,
    r.totalTokens,
    r.webSearchRequests,
    r.costLogged,
    r.costCalc,
    r.machine ?? '',
    r.userName ?? '',
  );
}

describe('usage_by_machine and usage_by_day', () => {
  it('are filled from usage_daily when an index of schema 8 is upgraded in place', () => {
    const path = join(dir, 'v8.db');
    const raw = new Database(path);
    migrate(
      raw,
      loadMigrations().filter((m) => m.version <= 8),
    );
    raw.prepare(`INSERT INTO files (id, path, claude_dir, project) VALUES (1, 'f', 'c', 'p')`).run();
    const rows: RollupRow[] = [
      row({}),
      row({ project: 'q', sessionId: 's2', costLogged: 0.5 }),
      row({ machine: 'laptop', userName: 'ana', sessionId: 's3', input: 7, totalTokens: 21 }),
      row({ machine: 'laptop', userName: 'ana', sessionId: 's4', project: 'q', costCalc: null }),
      row({ machine: 'desk', userName: 'bo', model: 'claude-sonnet-4-5', day: '2026-03-02' }),
    ];
    rows.forEach((r, i) => insertMessage(raw, `k${i}`, r));
    rebuildDailyRollup(raw as unknown as Db);
    expect(raw.pragma('user_version', { simple: true })).toBe(8);
    raw.close();

    const db = openDb(path);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion());
    expectInStep(db);
    expect(
      db
        .prepare(
          `SELECT machine, messages, input_tokens, unpriced_calc FROM usage_by_day ORDER BY day, machine`,
        )
        .all(),
    ).toEqual([
      { machine: '', messages: 2, input_tokens: 20, unpriced_calc: 0 },
      { machine: 'laptop', messages: 2, input_tokens: 17, unpriced_calc: 1 },
      { machine: 'desk', messages: 1, input_tokens: 10, unpriced_calc: 0 },
    ]);
    // Rebuilt from the messages (after settings change, or by `ctm check`): every group leaves and comes back.
    const before = derived(db, 'usage_by_machine').stored;
    db.transaction(() => rebuildDailyRollup(db))();
    expectInStep(db);
    expect(derived(db, 'usage_by_machine').stored).toEqual(before);
    db.close();
  });

  it('follow each commit: groups arriving, growing, shrinking and emptied, then a rebuild', () => {
    const db = openDb(join(dir, 'deltas.db'));
    const begin = createDailyRollup(db);
    const commit = (changes: [RollupRow, 1 | -1][]) => {
      const c = begin();
      for (const [r, sign] of changes) c.add(r, sign);
      db.transaction(() => c.apply())();
    };
    const laptop = { machine: 'laptop', userName: 'ana' };
    commit([
      [row({}), 1],
      [row({ sessionId: 's2' }), 1],
      [row({ ...laptop, costLogged: 1.25 }), 1],
      [row({ ...laptop, model: 'claude-haiku-4-5', costCalc: null }), 1],
      [row({ ...laptop, project: 'q', sessionId: 's5' }), 1],
    ]);
    expectInStep(db);
    expect(db.prepare('SELECT count(*) FROM usage_by_machine').pluck().get()).toBe(3);
    expect(db.prepare('SELECT count(*) FROM usage_by_day').pluck().get()).toBe(2);
    expect(
      db.prepare(`SELECT project, messages FROM usage_by_project WHERE grain = 'day' ORDER BY 1`).all(),
    ).toEqual([
      { project: 'p', messages: 4 },
      { project: 'q', messages: 1 },
    ]);

    // A copy replaced by a larger one: the old leaves its group, the new one joins.
    commit([
      [row({ sessionId: 's2' }), -1],
      [row({ sessionId: 's2', input: 50, totalTokens: 64, costCalc: 0.375 }), 1],
    ]);
    expectInStep(db);
    expect(db.prepare(`SELECT input_tokens FROM usage_by_day WHERE machine = ''`).pluck().get()).toBe(60);

    // The laptop's haiku group loses its only message: its row goes, the day's row stays with the rest.
    commit([[row({ ...laptop, model: 'claude-haiku-4-5', costCalc: null }), -1]]);
    expectInStep(db);
    expect(db.prepare(`SELECT model FROM usage_by_machine WHERE machine = 'laptop'`).pluck().all()).toEqual([
      'claude-opus-4-5',
    ]);
    expect(db.prepare(`SELECT unpriced_calc FROM usage_by_day WHERE machine = 'laptop'`).pluck().get()).toBe(
      0,
    );

    // The laptop's last message leaves: no row of zeros is left behind; nor of project q's only one.
    commit([
      [row({ ...laptop, costLogged: 1.25 }), -1],
      [row({ ...laptop, project: 'q', sessionId: 's5' }), -1],
    ]);
    expect(db.prepare('SELECT DISTINCT project FROM usage_by_project').pluck().all()).toEqual(['p']);
    expectInStep(db);
    expect(db.prepare(`SELECT count(*) FROM usage_by_day WHERE machine = 'laptop'`).pluck().get()).toBe(0);
    expect(db.prepare(`SELECT count(*) FROM usage_by_machine WHERE machine = 'laptop'`).pluck().get()).toBe(
      0,
    );

    // A group's day or project is never changed in place: usage_by_project's update moves sums within its rows.
    expect(() => db.prepare(`UPDATE usage_daily SET day = '2026-01-01'`).run()).toThrow(
      "usage_daily: a group's day and project do not change",
    );
    expectInStep(db);

    // A rebuild (every row deleted and summed again from the messages, none stored here) leaves them empty.
    db.transaction(() => rebuildDailyRollup(db))();
    expectInStep(db);
    expect(db.prepare('SELECT count(*) FROM usage_by_day').pluck().get()).toBe(0);
    db.close();
  });
});
