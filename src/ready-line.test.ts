import { describe, expect, it } from 'vitest';
import { readyLine } from './ready-line.ts';
import { usageSpan } from './db/queries/usage-span.ts';
import { fixtureTree, testIndex } from '../test/fixtures/fixture-tree.ts';
import { assistantLine } from '../test/fixtures/fixture-lines.ts';

describe('the ready line', () => {
  it.each([
    [
      { requests: 7572, firstDay: '2025-08-14', lastDay: '2026-08-07' },
      '7,572 requests, 2025-08-14 … 2026-08-07',
    ],
    [{ requests: 1, firstDay: '2026-08-07', lastDay: '2026-08-07' }, '1 request, 2026-08-07'],
    [{ requests: 0, firstDay: null, lastDay: null }, 'no requests yet'],
  ])('%j', (span, text) => {
    expect(readyLine('http://127.0.0.1:51888/', span)).toBe(`ready: http://127.0.0.1:51888/ — ${text}`);
  });

  it("reads the index's requests and local days from the rollup", () => {
    const t = fixtureTree();
    const index = testIndex([t.claudeDir], t.root);
    try {
      expect(usageSpan(index.db)).toEqual({ requests: 0, firstDay: null, lastDay: null });
      t.write('p/s.jsonl', [
        assistantLine({ id: 'a', timestamp: '2026-03-01T10:00:00Z' }),
        assistantLine({ id: 'b', timestamp: '2026-03-04T23:30:00Z' }),
        assistantLine({ id: 'b', timestamp: '2026-03-04T23:30:01Z' }),
      ]);
      index.ingester.pass();
      expect(usageSpan(index.db)).toEqual({ requests: 2, firstDay: '2026-03-01', lastDay: '2026-03-04' });
    } finally {
      index.close();
      t.remove();
    }
  });
});
