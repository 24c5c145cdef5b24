// `ctm report … --csv` as a user runs it (the real CLI over an index built by `ctm ingest --once`): the CSV
// parsed back holds the same rows and the same figures as the JSON report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistantLine, reportSessionLines } from '../../test/fixtures/fixture-lines.ts';
import { fixtureTree, type FixtureTree } from '../../test/fixtures/fixture-tree.ts';
import { parseCsv } from '../../test/fixtures/csv-parse.ts';
import { runCtm } from '../../test/fixtures/run-ctm.ts';

let tree: FixtureTree;
let env: Record<string, string>;

function run(...args: string[]): string {
  const r = runCtm(['report', ...args], env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}
const json = (...args: string[]): any => JSON.parse(run(...args, '--json'));
/** The CSV as objects keyed by its header, every line checked to have the header's width. */
function csv(...args: string[]): Record<string, string>[] {
  const text = run(...args, '--csv');
  expect(text.endsWith('\r\n')).toBe(true);
  const [header, ...rows] = parseCsv(text);
  for (const row of rows) expect(row).toHaveLength(header!.length);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}
/** A JSON value as the CSV writes it. */
function asCsv(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(';');
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(value)) return `'${value}`;
  return String(value);
}

beforeAll(() => {
  tree = fixtureTree();
  env = { HOME: tree.root, CTM_CLAUDE_DIR: tree.claudeDir, CTM_DATA_DIR: `${tree.root}/data`, CTM_TZ: 'UTC' };
  tree.write('-home-me-repo/s1.jsonl', [...reportSessionLines()]);
  // A project whose folder and working directory would break a naive CSV or run as a spreadsheet formula.
  tree.write('=cmd,x/s2.jsonl', [
    assistantLine({
      id: 'm4',
      sessionId: 's2',
      cwd: '=cmd|"/C calc",ü',
      timestamp: '2026-03-09T08:00:00Z',
      model: 'claude-haiku-4-5',
      input: 1_000_003,
      output: 7,
    }),
    assistantLine({
      id: 'm5',
      sessionId: 's2',
      cwd: '=cmd|"/C calc",ü',
      timestamp: '2026-04-01T00:30:00Z',
      model: 'claude-sonnet-4-5',
      input: 300_000,
      output: 1000,
    }),
  ]);
  const r = runCtm(['ingest', '--once'], env);
  expect(r.code).toBe(0);
});
afterAll(() => tree.remove());

describe('ctm report --csv', () => {
  it.each([
    ['daily', 'daily'],
    ['weekly', 'weekly'],
    ['monthly', 'monthly'],
    ['session', 'sessions'],
    ['blocks', 'blocks'],
  ])('%s: one line per row of the JSON, every scalar field the same', (kind, list) => {
    const rows = json(kind)[list] as Record<string, unknown>[];
    const lines = csv(kind);
    expect(lines).toHaveLength(rows.length);
    expect(rows.length).toBeGreaterThan(1);
    rows.forEach((row, i) => {
      for (const [key, value] of Object.entries(row)) {
        if (key === 'modelBreakdowns') continue;
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
          for (const [sub, v] of Object.entries(value)) expect(lines[i]![`${key}.${sub}`]).toBe(asCsv(v));
        } else expect(lines[i]![key], `${kind} row ${i} ${key}`).toBe(asCsv(value));
      }
    });
  });

  it('figures read back as the very numbers of the JSON (costs to every digit, no grouping)', () => {
    const rows = json('daily').daily;
    const lines = csv('daily');
    expect(lines.map((l) => l.date)).toEqual(['2026-03-01', '2026-03-02', '2026-03-09', '2026-04-01']);
    rows.forEach((row: any, i: number) => {
      expect(Number(lines[i]!.totalCost)).toBe(row.totalCost);
      expect(Number(lines[i]!.totalTokens)).toBe(row.totalTokens);
    });
    expect(lines[2]!.inputTokens).toBe('1000003');
    expect(lines[0]!.modelsUsed).toBe('claude-opus-4-5;claude-sonnet-4-5-20250929');
    expect(Object.keys(lines[0]!)).not.toContain('modelBreakdowns');
  });

  it('blocks: nested fields as dotted columns (tokenCounts.inputTokens), gaps included', () => {
    const lines = csv('blocks');
    expect(lines[0]).toMatchObject({
      id: '2026-03-01T10:00:00.000Z',
      isGap: 'false',
      'tokenCounts.inputTokens': '1000',
      'tokenCounts.cacheReadInputTokens': '10000',
      models: 'claude-opus-4-5',
      burnRate: '',
    });
    expect(lines.some((l) => l.isGap === 'true')).toBe(true);
  });

  it('--breakdown: one line per period (or session) and model, adding up to the period', () => {
    const days = json('daily').daily;
    const lines = csv('daily', '--breakdown');
    expect(Object.keys(lines[0]!).slice(0, 3)).toEqual(['date', 'modelName', 'inputTokens']);
    expect(lines.map((l) => [l.date, l.modelName])).toEqual(
      days.flatMap((d: any) => d.modelBreakdowns.map((m: any) => [d.date, m.modelName])),
    );
    for (const d of days) {
      const mine = lines.filter((l) => l.date === d.date);
      expect(mine.reduce((s, l) => s + Number(l.inputTokens), 0)).toBe(d.inputTokens);
      expect(mine.reduce((s, l) => s + Number(l.cost), 0)).toBeCloseTo(d.totalCost, 12);
    }
    expect(lines.find((l) => l.modelName === 'acme-9')!.missingPricing).toBe('true');
    expect(lines.find((l) => l.modelName === 'claude-opus-4-5')!.missingPricing).toBe('');

    const sessions = csv('session', '-b');
    expect(Object.keys(sessions[0]!).slice(0, 6)).toEqual([
      'sessionId',
      'projectPath',
      'projectName',
      'firstActivity',
      'lastActivity',
      'modelName',
    ]);
    expect(sessions.map((l) => [l.sessionId, l.modelName])).toEqual(
      json('session').sessions.flatMap((x: any) =>
        x.modelBreakdowns.map((m: any) => [x.sessionId, m.modelName]),
      ),
    );
    expect(sessions.map((l) => l.sessionId).sort()).toEqual(['s1', 's1', 's1', 's2', 's2']);
  });

  it('--by machine: the machine is a column, and names each line of the breakdown', () => {
    const weeks = json('weekly', '--by', 'machine').weekly;
    const lines = csv('weekly', '--by', 'machine');
    expect(lines.map((l) => [l.week, l.machine])).toEqual(weeks.map((w: any) => [w.week, asCsv(w.machine)]));
    const models = csv('weekly', '--by', 'machine', '-b');
    expect(Object.keys(models[0]!).slice(0, 3)).toEqual(['week', 'machine', 'modelName']);
    expect(models.every((l) => l.machine === lines[0]!.machine && l.machine !== '')).toBe(true);
  });

  it('a hostile project name stays one field and is written as text, not a formula', () => {
    const s2 = json('session').sessions.find((s: any) => s.sessionId === 's2');
    const line = csv('session').find((l) => l.sessionId === 's2')!;
    expect(line.projectPath).toBe(asCsv(s2.projectPath));
    expect(line.projectName).toBe(asCsv(s2.projectName));
    expect(line.projectPath!.startsWith("'=")).toBe(true);
  });

  it('--csv with --json is a one-line usage error, exit 2', () => {
    const r = runCtm(['report', 'daily', '--csv', '--json'], env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--json and --csv: choose one/);
  });
});
