// `npm run compare:ccusage`: runs ccusage 20.0.24 and ctm over the same generated tree and prints every
// difference per date, model and field, next to what the generator says an exact count is. HOME points at an
// empty dir so ccusage reads nothing but the tree. Output also goes to bench/results/compare-ccusage.txt.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateTree, type TokenTotals } from './generate-tree.ts';
import { assistantLine } from '../ingest/fixture-lines.ts';

const CCUSAGE = 'ccusage@20.0.24';
const repo = new URL('..', import.meta.url).pathname;

const { values } = parseArgs({
  options: {
    bytes: { type: 'string', default: String(40e6) },
    days: { type: 'string', default: '30' },
    projects: { type: 'string', default: '8' },
    sessions: { type: 'string', default: '200' },
    seed: { type: 'string', default: '42' },
    out: { type: 'string', default: join(repo, 'bench/results/compare-ccusage.txt') },
  },
});

interface Breakdown {
  modelName: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  cost: number;
}
interface Day {
  date: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  totalCost: number;
  modelBreakdowns: Breakdown[];
}
interface Daily {
  daily: Day[];
  totals: Omit<Day, 'date' | 'modelBreakdowns'>;
}

const lines: string[] = [];
const say = (s = ''): void => {
  lines.push(s);
  process.stdout.write(s + '\n');
};

const work = mkdtempSync(join(tmpdir(), 'ctm-compare-'));
const root = join(work, 'claude');
const home = join(work, 'empty-home');
mkdirSync(home);
const options = {
  root,
  targetBytes: Number(values.bytes),
  days: Number(values.days),
  projects: Number(values.projects),
  sessions: Number(values.sessions),
  seed: Number(values.seed),
};
const expected = generateTree(options);
say(
  `Tree: ${(expected.bytes / 1e6).toFixed(1)} MB, ${expected.files} files, ${expected.lines} lines, ` +
    `${expected.messages} messages (seed ${options.seed}, ${options.days} days, ${options.projects} projects, ` +
    `${options.sessions} sessions)`,
);

function run(cmd: string, args: string[], env: Record<string, string>): string {
  const r = spawnSync(cmd, args, {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) {
    const why = r.error ? String(r.error) : `exit ${r.status}${r.signal ? ` (${r.signal})` : ''}`;
    throw new Error(`${cmd} ${args.join(' ')} failed: ${why}\n${r.stderr}`);
  }
  return r.stdout;
}

function ccusageDaily(claudeDir: string): Daily {
  return JSON.parse(
    run('npx', ['-y', CCUSAGE, 'claude', 'daily', '--json', '--offline', '--timezone', 'UTC'], {
      HOME: home,
      CLAUDE_CONFIG_DIR: claudeDir,
      // Keep npm's own cache when HOME moves, so the package is not fetched again.
      npm_config_cache: process.env.npm_config_cache ?? join(homedir(), '.npm'),
    }),
  ) as Daily;
}

const ctmBin = join(repo, 'bin/ctm.js');
function ctmDaily(claudeDir: string, dataDir: string): Daily {
  const env = { CTM_CLAUDE_DIR: claudeDir, CTM_DATA_DIR: dataDir, CTM_LOG_LEVEL: 'error' };
  run(process.execPath, [ctmBin, 'ingest', '--once', '--timezone', 'UTC'], env);
  return JSON.parse(
    run(process.execPath, [ctmBin, 'report', 'daily', '--json', '--timezone', 'UTC'], env),
  ) as Daily;
}

let ccusage: Daily;
try {
  ccusage = ccusageDaily(root);
} catch (error) {
  say(`ccusage could not run: ${(error as Error).message}`);
  process.exit(1);
}
const ctm = ctmDaily(root, join(work, 'data'));

const FIELDS = ['inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens'] as const;
const expectedField = (t: TokenTotals | undefined, f: (typeof FIELDS)[number]): number | undefined => {
  if (!t) return undefined;
  if (f === 'inputTokens') return t.input;
  if (f === 'outputTokens') return t.output;
  if (f === 'cacheCreationTokens') return t.cacheWrite5m + t.cacheWrite1h;
  return t.cacheRead;
};
const same = (a: number | undefined, b: number | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)));
const fmt = (n: number | undefined): string =>
  n === undefined ? '—' : Number.isInteger(n) ? String(n) : n.toFixed(6);

interface Diff {
  date: string;
  model: string;
  field: string;
  ccusage: number | undefined;
  ctm: number | undefined;
  expected: number | undefined;
}
const diffs: Diff[] = [];
const byDate = (d: Daily) => new Map(d.daily.map((day) => [day.date, day]));
const cc = byDate(ccusage);
const ct = byDate(ctm);
const dates = [...new Set([...cc.keys(), ...ct.keys()])].sort();
// Per-model expected totals per day are not kept by the generator; per-day ones are.
for (const date of dates) {
  const a = cc.get(date);
  const b = ct.get(date);
  for (const f of [...FIELDS, 'totalTokens', 'totalCost'] as const) {
    const x = a?.[f];
    const y = b?.[f];
    if (!same(x, y)) {
      const e = f === 'totalTokens' || f === 'totalCost' ? undefined : expectedField(expected.byDay[date], f);
      diffs.push({ date, model: '(day total)', field: f, ccusage: x, ctm: y, expected: e });
    }
  }
  const models = new Set([
    ...(a?.modelBreakdowns ?? []).map((m) => m.modelName),
    ...(b?.modelBreakdowns ?? []).map((m) => m.modelName),
  ]);
  for (const model of [...models].sort()) {
    const ma = a?.modelBreakdowns.find((m) => m.modelName === model);
    const mb = b?.modelBreakdowns.find((m) => m.modelName === model);
    for (const f of [...FIELDS, 'cost'] as const) {
      if (!same(ma?.[f], mb?.[f]))
        diffs.push({ date, model, field: f, ccusage: ma?.[f], ctm: mb?.[f], expected: undefined });
    }
  }
}

say(
  `\nccusage ${CCUSAGE.split('@')[1]} vs ctm, daily, UTC: ${dates.length} dates, ${diffs.length} differences\n`,
);
const header = ['date', 'model', 'field', 'ccusage', 'ctm', 'exact (generator)', 'ctm − ccusage'];
const rows = diffs.map((d) => [
  d.date,
  d.model,
  d.field,
  fmt(d.ccusage),
  fmt(d.ctm),
  fmt(d.expected),
  d.ccusage !== undefined && d.ctm !== undefined ? fmt(d.ctm - d.ccusage) : '',
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
for (const r of [header, ...rows]) say(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));

say('\nTotals over all dates');
const totalRows: string[][] = [];
for (const f of [...FIELDS, 'totalTokens', 'totalCost'] as const) {
  const e =
    f === 'totalTokens'
      ? expected.input + expected.output + expected.cacheWrite5m + expected.cacheWrite1h + expected.cacheRead
      : f === 'totalCost'
        ? undefined
        : expectedField(expected, f);
  totalRows.push([f, fmt(ccusage.totals[f]), fmt(ctm.totals[f]), fmt(e)]);
}
const tw = [0, 1, 2, 3].map((i) =>
  Math.max(...[['field', 'ccusage', 'ctm', 'exact (generator)'], ...totalRows].map((r) => r[i]!.length)),
);
for (const r of [['field', 'ccusage', 'ctm', 'exact (generator)'], ...totalRows])
  say(r.map((c, i) => c.padEnd(tw[i]!)).join('  '));

say('\nDifferences per model and field, summed over dates (ctm − ccusage)');
const sums = new Map<string, { n: number; delta: number }>();
for (const d of diffs) {
  if (d.model === '(day total)') continue;
  const k = `${d.model}  ${d.field}`;
  const s = sums.get(k) ?? { n: 0, delta: 0 };
  s.n++;
  s.delta += (d.ctm ?? 0) - (d.ccusage ?? 0);
  sums.set(k, s);
}
for (const [k, s] of [...sums].sort()) say(`  ${k}: ${s.n} dates, ${fmt(Number(s.delta.toFixed(6)))}`);

// One-response probes: the rules where tools could disagree, each alone in a tree of its own.
const at = (minute: number) => new Date(Date.parse('2026-10-10T10:00:00Z') + minute * 60_000).toISOString();
const sonnet = 'claude-sonnet-4-5-20250929';
const PROBES: [string, string[]][] = [
  [
    'sonnet-4-5, 250k cache read (long context)',
    [
      assistantLine({
        id: 'm1',
        timestamp: at(0),
        model: sonnet,
        input: 10,
        cacheRead: 250_000,
        cacheWrite: 1000,
        output: 100,
      }),
    ],
  ],
  [
    'sonnet-4-5, 150k cache read',
    [
      assistantLine({
        id: 'm1',
        timestamp: at(0),
        model: sonnet,
        input: 10,
        cacheRead: 150_000,
        cacheWrite: 1000,
        output: 100,
      }),
    ],
  ],
  [
    'opus-4-5, 1M cache write 1h',
    [
      assistantLine({
        id: 'm1',
        timestamp: at(0),
        model: 'claude-opus-4-5-20251101',
        input: 0,
        cacheWrite: 1e6,
        cacheWrite1h: 1e6,
        output: 0,
      }),
    ],
  ],
  [
    'opus-4-5, 1M cache write 5m',
    [
      assistantLine({
        id: 'm1',
        timestamp: at(0),
        model: 'claude-opus-4-5-20251101',
        input: 0,
        cacheWrite: 1e6,
        output: 0,
      }),
    ],
  ],
  [
    'streaming copy after the full one',
    [
      assistantLine({ id: 'm1', timestamp: at(0), output: 500 }),
      assistantLine({ id: 'm1', timestamp: at(0), output: 3 }),
    ],
  ],
  [
    'streaming copy before the full one',
    [
      assistantLine({ id: 'm1', timestamp: at(0), output: 3 }),
      assistantLine({ id: 'm1', timestamp: at(0), output: 500 }),
    ],
  ],
  [
    'same message.id, two requestIds',
    [
      assistantLine({ id: 'm1', requestId: 'r1', timestamp: at(0), output: 500 }),
      assistantLine({ id: 'm1', requestId: 'r2', timestamp: at(1), output: 400 }),
    ],
  ],
  [
    'sidechain replay of a parent message',
    [
      assistantLine({ id: 'm1', requestId: 'r1', timestamp: at(0), output: 500 }),
      assistantLine({ id: 'm1', requestId: 'r2', timestamp: at(1), output: 400, isSidechain: true }),
    ],
  ],
  [
    'copies without requestId',
    [
      assistantLine({ id: 'm1', requestId: null, timestamp: at(0), output: 500 }),
      assistantLine({ id: 'm1', requestId: null, timestamp: at(0), output: 500 }),
    ],
  ],
  [
    'unknown model, 1M input',
    [assistantLine({ id: 'm1', timestamp: at(0), model: 'claude-nimbus-7-20270301', input: 1e6, output: 0 })],
  ],
  [
    'costUSD on the line (auto mode)',
    [assistantLine({ id: 'm1', timestamp: at(0), input: 1e6, output: 0, costUSD: 1.23 })],
  ],
  [
    'opus-4-6 fast, 1M input',
    [
      assistantLine({
        id: 'm1',
        timestamp: at(0),
        model: 'claude-opus-4-6',
        input: 1e6,
        output: 0,
        speed: 'fast',
      }),
    ],
  ],
  [
    'opus-4-8 fast, 1M input',
    [
      assistantLine({
        id: 'm1',
        timestamp: at(0),
        model: 'claude-opus-4-8',
        input: 1e6,
        output: 0,
        speed: 'fast',
      }),
    ],
  ],
  [
    'sonnet-5, 1M input',
    [assistantLine({ id: 'm1', timestamp: at(0), model: 'claude-sonnet-5', input: 1e6, output: 0 })],
  ],
  [
    'haiku-4-5, 1M cache read',
    [
      assistantLine({
        id: 'm1',
        timestamp: at(0),
        model: 'claude-haiku-4-5-20251001',
        input: 0,
        cacheRead: 1e6,
        output: 0,
      }),
    ],
  ],
];
say('\nProbes (one tree each): total tokens, cost and model names as each tool reports them');
const describe = (d: Daily): string =>
  `${d.totals.totalTokens} tokens, $${d.totals.totalCost.toFixed(4)}, ` +
  [...new Set(d.daily.flatMap((day) => day.modelBreakdowns.map((m) => m.modelName)))].join(' ');
PROBES.forEach(([name, probeLines], i) => {
  const dir = join(work, `probe-${i}`);
  mkdirSync(join(dir, 'claude', 'projects', 'p'), { recursive: true });
  writeFileSync(join(dir, 'claude', 'projects', 'p', 's.jsonl'), probeLines.join('\n') + '\n');
  const a = describe(ccusageDaily(join(dir, 'claude')));
  const b = describe(ctmDaily(join(dir, 'claude'), join(dir, 'data')));
  say(`  ${a === b ? 'same' : 'DIFF'}  ${name}\n        ccusage: ${a}\n        ctm:     ${b}`);
});

mkdirSync(join(values.out, '..'), { recursive: true });
writeFileSync(values.out + '.tmp', lines.join('\n') + '\n');
renameSync(values.out + '.tmp', values.out);
rmSync(work, { recursive: true, force: true });
say(`\nwritten to ${values.out}`);
