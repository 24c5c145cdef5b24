import { describe, expect, it } from 'vitest';
import { openDb } from '../db/open.ts';
import { insertUsageRows } from '../../test/fixtures/seed-usage-db.ts';
import { createMetrics } from './metrics-registry.ts';

const row = (ts: string, model: string, input: number) => ({
  ts: Date.parse(ts),
  model,
  sessionId: 's1',
  project: '-p',
  cwd: '/p',
  input,
  output: 10,
  cacheRead: 100,
});

const value = (text: string, prefix: string): number =>
  Number(
    text
      .split('\n')
      .find((l) => l.startsWith(prefix))
      ?.split(' ')
      .at(-1),
  );

describe('createMetrics', () => {
  it('token, cost and message totals equal the index after partial refreshes, never double counted', async () => {
    const db = openDb(':memory:');
    insertUsageRows(db, [
      row('2026-03-01T10:00:00Z', 'claude-sonnet-4-5', 100),
      row('2026-03-02T10:00:00Z', 'claude-sonnet-4-5', 200),
      row('2026-03-02T11:00:00Z', 'claude-opus-4-5', 300),
    ]);
    const m = createMetrics();
    m.refreshTotals(db, 'auto');
    let text = await m.registry.metrics();
    expect(value(text, 'ctm_messages_total ')).toBe(3);
    expect(value(text, 'ctm_tokens_total{model="claude-sonnet-4-5",kind="input"}')).toBe(300);
    expect(value(text, 'ctm_tokens_total{model="claude-opus-4-5",kind="cache_read"}')).toBe(100);
    expect(text).toContain('# TYPE ctm_tokens_total counter');
    // A new message on 03-02 and the same day refreshed twice: totals follow the table, not the refreshes.
    insertUsageRows(db, [row('2026-03-02T12:00:00Z', 'claude-sonnet-4-5', 50)]);
    m.refreshTotals(db, 'auto', ['2026-03-02']);
    m.refreshTotals(db, 'auto', ['2026-03-02']);
    text = await m.registry.metrics();
    expect(value(text, 'ctm_messages_total ')).toBe(4);
    expect(value(text, 'ctm_tokens_total{model="claude-sonnet-4-5",kind="input"}')).toBe(350);
    const sqlCost = (
      db.prepare('SELECT sum(coalesce(cost_logged_usd, cost_calc_usd)) AS c FROM usage').get() as {
        c: number;
      }
    ).c;
    const metricCost =
      value(text, 'ctm_cost_usd_total{model="claude-sonnet-4-5"}') +
      value(text, 'ctm_cost_usd_total{model="claude-opus-4-5"}');
    expect(metricCost).toBeCloseTo(sqlCost, 9);
  });

  it('reports lag, health and burn rate from its sources, and the version', async () => {
    const m = createMetrics();
    m.setSources({ ingestLagSeconds: () => 4.5, healthy: () => false, burnRateTokensPerMinute: () => 1234 });
    const text = await m.registry.metrics();
    expect(value(text, 'ctm_ingest_lag_seconds ')).toBe(4.5);
    expect(value(text, 'ctm_health_ok ')).toBe(0);
    expect(value(text, 'ctm_burn_rate_tokens_per_minute ')).toBe(1234);
    expect(text).toMatch(/ctm_info\{version="\d+\.\d+\.\d+"\} 1/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});
