// `ctm report` on a hub's index, through the real CLI: this machine's own transcripts (ingested) beside a
// laptop's rows (written by the hub store, as its receiver would), reported --by machine or user and filtered
// with --machine and --user; this machine's rows appear under CTM_MACHINE and CTM_USER.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { assistantLine } from '../../../test/fixtures/fixture-lines.ts';
import { fixtureTree, tempDir, testIndex, type FixtureTree } from '../../../test/fixtures/fixture-tree.ts';
import { openDb } from '../../db/open.ts';
import { pushRows } from '../../db/queries/push-rows.ts';
import { mapRecords } from '../../hub/hub-records.ts';
import { createHubStore } from '../../hub/hub-store.ts';
import { decodeOtlpJson } from '../../hub/otlp-json.ts';
import { loadPricing } from '../../pricing/load-pricing.ts';
import { usageLogsRequest } from '../../push/usage-log-records.ts';
import { runCtm } from '../../../test/fixtures/run-ctm.ts';

let hubTree: FixtureTree;
let laptopTree: FixtureTree;
let env: Record<string, string>;

function json(...args: string[]): any {
  const r = runCtm(['report', ...args, '--json'], env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

const line = (id: string, timestamp: string, input: number) =>
  assistantLine({ id, sessionId: `s-${id}`, timestamp, input, output: 10 });

beforeAll(() => {
  hubTree = fixtureTree();
  laptopTree = fixtureTree();
  env = {
    HOME: hubTree.root,
    CTM_CLAUDE_DIR: hubTree.claudeDir,
    CTM_DATA_DIR: join(hubTree.root, 'data'),
    CTM_TZ: 'UTC',
    CTM_MACHINE: 'hub',
    CTM_USER: 'root',
  };
  hubTree.write('p/h.jsonl', [
    line('h1', '2026-03-01T10:00:00Z', 100),
    line('h2', '2026-03-02T10:00:00Z', 200),
  ]);
  expect(runCtm(['ingest', '--once'], env).code).toBe(0);
  laptopTree.write('p/l.jsonl', [line('l1', '2026-03-01T11:00:00Z', 1000)]);
  const laptop = testIndex([laptopTree.claudeDir], tempDir());
  laptop.ingester.pass();
  const db = openDb(join(hubTree.root, 'data', 'ctm.db'));
  const mapped = mapRecords(
    decodeOtlpJson(usageLogsRequest(pushRows(laptop.db, 0, 100), [], { machine: 'laptop', user: 'ana' }, 0)),
    'laptop',
  );
  if (!mapped.ok) throw new Error(mapped.forbidden);
  createHubStore(db, { timezone: 'UTC', pricing: loadPricing() }).write(mapped.batch);
  db.close();
  laptop.close();
});

afterAll(() => {
  hubTree.remove();
  laptopTree.remove();
});

describe('ctm report on a hub', () => {
  it('--by machine gives a row per machine in each day; the totals are the whole index', () => {
    const r = json('daily', '--by', 'machine');
    expect(r.daily.map((d: any) => [d.date, d.machine, d.inputTokens])).toEqual([
      ['2026-03-01', 'hub', 100],
      ['2026-03-01', 'laptop', 1000],
      ['2026-03-02', 'hub', 200],
    ]);
    expect(r.totals.inputTokens).toBe(1300);
    expect(json('monthly', '--by', 'user').monthly.map((m: any) => [m.user, m.inputTokens])).toEqual([
      ['ana', 1000],
      ['root', 300],
    ]);
  });

  it('--machine and --user keep one machine or user, this machine by its own name', () => {
    expect(json('daily', '--machine', 'laptop').totals.inputTokens).toBe(1000);
    expect(json('daily', '--machine', 'hub').totals.inputTokens).toBe(300);
    expect(json('session', '--user', 'ana').sessions.map((s: any) => s.sessionId)).toEqual(['s-l1']);
    expect(json('daily', '--machine', 'nobody').daily).toEqual([]);
  });

  it('prints the machine beside the day in a table, and refuses a --by it does not know', () => {
    const r = runCtm(['report', 'daily', '--by', 'machine'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Date\s+Machine\s+Input/m);
    expect(r.stdout).toMatch(/^2026-03-01\s+laptop\s+1,000/m);
    const bad = runCtm(['report', 'daily', '--by', 'model'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('ctm: --by: expected machine or user, got "model"\n');
  });
});
