// Migration 014 drops the usage_daily rows without messages that commits could leave (and what they left in
// the rollups fed from usage_daily), keeping every other row.
import { expect, it } from 'vitest';
import { openDb } from './open.ts';
import { indexBefore } from '../../test/fixtures/old-index.ts';

it('drops empty rollup rows and keeps the others', () => {
  const { path, raw } = indexBefore(14);
  const row = (session: string, messages: number, tokens: number) =>
    raw
      .prepare(
        `INSERT INTO usage_daily (day, model, project, messages, input_tokens, output_tokens,
           cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, total_tokens, cost_auto_usd,
           cost_calc_usd, cost_display_usd, unpriced_auto, unpriced_calc, web_search_requests, machine,
           user_name, session_id, first_ts, last_ts, cwd)
         VALUES ('2026-10-28', ?, 'p', ?, ?, 0, 0, 0, 0, ?, 0, 0, 0, 0, 0, 0, '', '', ?, 1, 1, NULL)`,
      )
      .run(messages === 0 ? 'claude-empty' : 'claude-kept', messages, tokens, tokens, session);
  row('kept', 2, 30);
  row('left', 0, 0);
  const count = (db: typeof raw, table: string, where = '') =>
    (db.prepare(`SELECT count(*) AS n FROM ${table} ${where}`).get() as { n: number }).n;
  expect(count(raw, 'usage_daily', 'WHERE messages = 0')).toBe(1);
  expect(count(raw, 'usage_by_machine', 'WHERE messages = 0')).toBe(1);
  raw.close();

  const db = openDb(path);
  for (const table of ['usage_daily', 'usage_by_machine', 'usage_by_day', 'usage_by_project'])
    expect(count(db, table, 'WHERE messages <= 0'), table).toBe(0);
  expect(db.prepare('SELECT model, messages, total_tokens FROM usage_daily').all()).toEqual([
    { model: 'claude-kept', messages: 2, total_tokens: 30 },
  ]);
  expect(count(db, 'usage_by_project')).toBeGreaterThan(0);
  db.close();
});
