// The report site's small, exactly known data set: two days, two projects, three sessions, an unpriced model
// and a subagent. Shared by the query tests and the page-data tests.
import type { SeedRow } from '../../../bench/seed-usage-db.ts';

export const SONNET = 'claude-sonnet-4-5-20250929';
export const at = (iso: string) => Date.parse(iso);
export const base = { cwd: '/home/me/alpha', project: '-home-me-alpha' };
export const FIXTURE: SeedRow[] = [
  {
    ...base,
    ts: at('2026-03-02T09:15:00Z'),
    model: SONNET,
    sessionId: 's1',
    input: 1000,
    output: 200,
    cacheRead: 5000,
  },
  {
    ...base,
    ts: at('2026-03-02T09:45:00Z'),
    model: SONNET,
    sessionId: 's1',
    input: 2000,
    output: 300,
    cacheWrite5m: 700,
  },
  {
    ...base,
    ts: at('2026-03-02T10:05:00Z'),
    model: SONNET,
    sessionId: 's1',
    input: 10,
    output: 5,
    agentId: 'agent-a',
  },
  {
    cwd: '/home/me/beta',
    project: '-home-me-beta',
    ts: at('2026-03-02T23:30:00Z'),
    model: 'mystery-model-1',
    sessionId: 's2',
    input: 50,
    output: 50,
  },
  {
    ...base,
    ts: at('2026-03-04T08:00:00Z'),
    model: SONNET,
    sessionId: 's3',
    input: 100,
    output: 100,
    cacheWrite1h: 400,
  },
];
