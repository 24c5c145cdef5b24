// Ingests small generated trees and checks that the index holds exactly what the generator says an exact
// count is: streaming copies, resumed-session copies, progress lines, sidechain replays and synthetic lines
// must all fall away, per message, per day and per model.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTree, UNKNOWN_MODEL, type TokenTotals } from './generate-tree.ts';
import { openDb } from '../src/db/open.ts';
import { createIngester } from '../ingest/ingester.ts';
import { createLogger } from '../src/log.ts';
import { createMessageStore } from '../ingest/message-store.ts';
import { runPass } from '../ingest/ingest-pass.ts';
import type { InFlightLimits } from '../ingest/parallel-reader.ts';
import { loadPricing } from '../src/pricing/load-pricing.ts';

const work = mkdtempSync(join(tmpdir(), 'ctm-gen-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const SUMS = `count(*) AS messages, sum(input_tokens) AS input, sum(output_tokens) AS output,
  sum(cache_write_5m_tokens) AS cacheWrite5m, sum(cache_write_1h_tokens) AS cacheWrite1h,
  sum(cache_read_tokens) AS cacheRead`;

function ingestTree(name: string, options: Parameters<typeof generateTree>[0]) {
  const expected = generateTree(options);
  const db = openDb(join(work, `${name}.db`));
  const ingester = createIngester(
    db,
    {
      claudeDirs: [options.root],
      claudeDirsSource: 'CTM_CLAUDE_DIR',
      timezone: 'UTC',
      pricingFile: undefined,
      rescanSeconds: 60,
    },
    createLogger('error'),
  );
  const summary = ingester.pass();
  return { expected, db, summary, ingester };
}

describe('generateTree', () => {
  it.each([
    ['mixed layouts', { seed: 1, sessions: 40, projects: 4, days: 20 }],
    ['no subagents', { seed: 7, sessions: 25, projects: 3, days: 5, subagentRate: 0 }],
    ['many subagents', { seed: 99, sessions: 30, projects: 2, days: 60, subagentRate: 0.9 }],
  ])('%s: the index holds exactly the expected totals', (name, o) => {
    const root = join(work, name.replace(/ /g, '-'));
    const { expected, db, summary, ingester } = ingestTree(name, { root, targetBytes: 4e6, ...o });
    expect(summary.filesScanned).toBe(expected.files);
    expect(summary.bytesRead).toBe(expected.bytes);
    expect(summary.lines).toBe(expected.lines);
    expect(summary.usageLines).toBe(expected.usageLines);
    expect(summary.skipped).toEqual({});

    const { messages, input, output, cacheWrite5m, cacheWrite1h, cacheRead } = expected;
    expect(db.prepare(`SELECT ${SUMS} FROM usage`).get()).toEqual({
      messages,
      input,
      output,
      cacheWrite5m,
      cacheWrite1h,
      cacheRead,
    });
    const byDay = Object.fromEntries(
      (
        db.prepare(`SELECT day, ${SUMS} FROM usage GROUP BY day`).all() as (TokenTotals & { day: string })[]
      ).map(({ day, ...t }) => [day, t]),
    );
    expect(byDay).toEqual(expected.byDay);
    const byModel = Object.fromEntries(
      (
        db.prepare(`SELECT model, ${SUMS} FROM usage GROUP BY model`).all() as (TokenTotals & {
          model: string;
        })[]
      ).map(({ model, ...t }) => [model, t]),
    );
    expect(byModel).toEqual(expected.byModel);
    expect(
      db
        .prepare('SELECT count(*) AS n FROM usage WHERE model = ? AND cost_calc_usd IS NOT NULL')
        .get(UNKNOWN_MODEL),
    ).toEqual({ n: 0 });

    // A second pass over the unchanged tree reads nothing and changes nothing.
    const again = ingester.pass();
    expect(again.filesRead).toBe(0);
    expect(again.newMessages + again.replacedMessages).toBe(0);
    db.close();
  });

  it('a pass parsed on reader threads writes exactly what a one-thread pass writes, however many and however far ahead', () => {
    const root = join(work, 'threads');
    generateTree({ root, targetBytes: 6e6, days: 10, projects: 3, sessions: 40, seed: 3 });
    const passWith = (name: string, parallelBytes: number, inFlight?: InFlightLimits, readers?: number) => {
      const db = openDb(join(work, `${name}.db`));
      const store = createMessageStore(db, { timezone: 'UTC', pricing: loadPricing() });
      const changes: string[] = [];
      const summary = runPass({
        claudeDirs: [root],
        store,
        parallelBytes,
        ...(inFlight ? { inFlight } : {}),
        ...(readers ? { readers } : {}),
        now: () => 0,
        onCommit: (c) => changes.push(...c.days),
      });
      const rows = db.prepare('SELECT * FROM messages ORDER BY key').all();
      const files = db.prepare('SELECT * FROM files ORDER BY path').all();
      db.close();
      return { summary: { ...summary, changes: [...summary.changes.days].sort() }, rows, files, changes };
    };
    const one = passWith('one-thread', Infinity);
    for (const readers of [1, 2, 3]) {
      const many = passWith(`readers-${readers}`, 0, undefined, readers);
      expect(many.summary).toEqual(one.summary);
      expect(many.rows).toEqual(one.rows);
      expect(many.files).toEqual(one.files);
      expect(many.changes.sort()).toEqual(one.changes.sort());
    }
    // A reader held to one character in flight (one commit of any size gets through) or to two commits
    // waits on nearly every file, and still writes the same.
    for (const [name, limits] of [
      ['by-size', { commits: 1024, chars: 1 }],
      ['by-count', { commits: 2, chars: 1 << 30 }],
    ] as const) {
      const held = passWith(name, 0, limits, 2);
      expect(held.rows).toEqual(one.rows);
      expect(held.summary).toEqual(one.summary);
    }
    expect(one.rows.length).toBeGreaterThan(100);
  });

  it('is deterministic for a seed and writes about the bytes asked for', () => {
    const a = generateTree({
      root: join(work, 'a'),
      targetBytes: 2e6,
      days: 3,
      projects: 2,
      sessions: 10,
      seed: 5,
    });
    const b = generateTree({
      root: join(work, 'b'),
      targetBytes: 2e6,
      days: 3,
      projects: 2,
      sessions: 10,
      seed: 5,
    });
    expect(b).toEqual(a);
    expect(a.bytes).toBeGreaterThan(1.6e6);
    expect(a.bytes).toBeLessThan(2.6e6);
  });
});
