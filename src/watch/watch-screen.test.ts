import { describe, expect, it } from 'vitest';
import { insertUsageRows } from '../../test/fixtures/seed-usage-db.ts';
import { openDb } from '../db/open.ts';
import { liveSnapshot } from '../server/live-snapshot.ts';
import { fit, plainLine, watchScreen } from './watch-screen.ts';

const now = Date.parse('2026-03-02T12:30:00Z');
const thresholds = { warn: 70, alert: 90 };

function snapshot(withLimits: boolean) {
  const db = openDb(':memory:');
  const row = (iso: string, input: number) => ({
    ts: Date.parse(iso),
    model: 'claude-sonnet-4-5-20250929',
    sessionId: 's',
    project: '-p',
    cwd: '/p',
    input,
    output: 100,
  });
  insertUsageRows(db, [row('2026-03-02T10:15:00Z', 4000), row('2026-03-02T12:15:00Z', 5000)]);
  const s = liveSnapshot(db, {
    timezone: 'UTC',
    costMode: 'auto',
    tokenLimit: 10_000,
    maxBlockTokens: 0,
    now,
    lastIngestAt: now - 5000,
    lastBuildAt: null,
    officialLimits: withLimits
      ? {
          windows: [
            {
              window: 'five_hour',
              usedPercentage: 95,
              resetsAt: Date.parse('2026-03-02T14:00:00Z'),
              observedAt: now - 60_000,
              usedUsd: null,
              limitUsd: null,
              period: null,
              current: true,
            },
          ],
          series: { ts: [now], fiveHour: [95], sevenDay: [null] },
        }
      : null,
  });
  db.close();
  return s;
}

describe('watchScreen', () => {
  it.each([
    [80, 24],
    [40, 12],
    [120, 40],
  ])('fills %d×%d exactly, no line wider than the terminal', (cols, rows) => {
    const lines = watchScreen(snapshot(true), { cols, rows, color: false, thresholds });
    expect(lines).toHaveLength(rows);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(cols);
    expect(lines.at(-1)).toBe('last ingest 12:29:55');
  });

  it('colours the gauge and the limits by threshold, the width unchanged', () => {
    const lines = watchScreen(snapshot(true), { cols: 80, rows: 24, color: true, thresholds });
    // 9,200 of 10,000 tokens: red; the 5-hour window at 95 %: red.
    expect(lines.find((l) => l.includes('█'))).toMatch(/^\x1b\[31m█+░+\x1b\[0m  92\.0 % of 10,000$/);
    expect(lines.find((l) => l.includes('Official'))).toContain('\x1b[31m5h 95 %, resets 14:00\x1b[0m');
    const plain = (l: string) => l.replace(/\x1b\[[0-9;]*m/g, '');
    for (const l of lines) expect([...plain(l)].length).toBeLessThanOrEqual(80);
  });

  it('leaves out the official limits until the status line recorded some', () => {
    const lines = watchScreen(snapshot(false), { cols: 80, rows: 24, color: false, thresholds });
    expect(lines.some((l) => l.startsWith('Official'))).toBe(false);
  });

  it('fit cuts by visible characters and marks the cut', () => {
    expect(fit([['abcdef'], ['ghij', 'red']], 8, false)).toBe('abcdefg…');
    expect(fit([['ab'], ['cd', 'red']], 8, true)).toBe('ab\x1b[31mcd\x1b[0m');
    expect(fit([['█'.repeat(10)]], 4, false)).toBe('███…');
  });

  it('plainLine: the figures in one line', () => {
    expect(plainLine(snapshot(true))).toBe(
      '12:30:00 · block 10:00–15:00 9,200 tokens $0.03, 2 h 30 min left, 77 tokens/min · 5h 95 %, resets 14:00 · ' +
        'today $0.03 9,200 tokens',
    );
  });
});
