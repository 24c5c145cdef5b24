// What an ingest pass says it touched (its ChangeSet, src/db/change-set.ts): every day, hour, session, project
// and model whose sums changed, the old place of a replaced or superseded row included.
import { afterEach, describe, expect, it } from 'vitest';
import { assistantLine } from '../test/fixtures/fixture-lines.ts';
import { fixtureTree, testIndex, type FixtureTree } from '../test/fixtures/fixture-tree.ts';

const trees: FixtureTree[] = [];
const closers: (() => void)[] = [];
afterEach(() => {
  closers.splice(0).forEach((c) => c());
  trees.splice(0).forEach((t) => t.remove());
});

describe('a pass’s change set', () => {
  it('a pass reports what it touched, including the old place of a replaced or superseded row', () => {
    const t = fixtureTree();
    trees.push(t);
    const index = testIndex([t.claudeDir], t.root, { timezone: 'Asia/Tokyo' });
    closers.push(index.close);
    t.write('-p/s1/subagents/agent-x.jsonl', [
      assistantLine({
        id: 'm',
        requestId: 'replay',
        sessionId: 's1',
        isSidechain: true,
        timestamp: '2026-03-01T14:00:00Z',
      }),
    ]);
    t.write('-p/early.jsonl', [
      assistantLine({ id: 'r', sessionId: 'early', timestamp: '2026-03-01T10:00:00Z', output: 1 }),
    ]);
    index.ingester.pass();
    t.write('-q/s2.jsonl', [
      assistantLine({
        id: 'm',
        requestId: 'parent',
        sessionId: 's2',
        timestamp: '2026-03-05T01:00:00Z',
        model: 'claude-opus-4-5',
      }),
      assistantLine({ id: 'r', sessionId: 's2', timestamp: '2026-03-06T01:00:00Z', output: 900 }),
    ]);
    const s = index.ingester.pass();
    expect(s.changes.toJSON()).toEqual({
      // The replay (Mar 1 23:00 Tokyo) left the totals; r moved from Mar 1 19:00 to Mar 6 10:00.
      days: ['2026-03-01', '2026-03-05', '2026-03-06'],
      hours: ['2026-03-01T19', '2026-03-01T23', '2026-03-05T10', '2026-03-06T10'],
      sessions: ['early', 's1', 's2'],
      projects: ['-p', '-q'],
      models: ['claude-opus-4-5', 'claude-sonnet-4-5-20250929'],
    });
  });
});
