// `npm run compare:ccusage`: runs ccusage 20.0.24 and ctm over the same generated tree and prints every
// difference per date, model and field, next to what the generator says an exact count is; then each tool's
// totals across its reports, the JSON keys ccusage has that ctm lacks, sessions and blocks side by side, and
// one-rule probes. HOME points at an empty dir so ccusage reads nothing but the tree. CCUSAGE_BIN names a
// ccusage binary to run (`npm install ccusage@20.0.24` puts one in node_modules/.bin); without it the script
// runs `npx -y ccusage@20.0.24`. Output also goes to bench/results/compare-ccusage.txt.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateTree, type TokenTotals } from '../test/fixtures/generate-tree.ts';
import {
  advisorIteration,
  assistantLine,
  costStateLine,
  limitHitLine,
} from '../test/fixtures/fixture-lines.ts';

const CCUSAGE = 'ccusage@20.0.24';
const CCUSAGE_BIN = process.env.CCUSAGE_BIN;
const repo = new URL('..', import.meta.url).pathname;

const { values } = parseArgs({
  options: {
    bytes: { type: 'string', default: String(80e6) },
    days: { type: 'string', default: '90' },
    projects: { type: 'string', default: '8' },
    sessions: { type: 'string', default: '400' },
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

type ReportKind = 'daily' | 'weekly' | 'monthly' | 'session' | 'blocks';

function ccusage(args: string[], claudeDir: string): string {
  const env = {
    HOME: home,
    CLAUDE_CONFIG_DIR: claudeDir,
    // Keep npm's own cache when HOME moves, so the package is not fetched again.
    npm_config_cache: process.env.npm_config_cache ?? join(homedir(), '.npm'),
  };
  return CCUSAGE_BIN ? run(CCUSAGE_BIN, args, env) : run('npx', ['-y', CCUSAGE, ...args], env);
}

function ccusageReport(kind: ReportKind, claudeDir: string): any {
  return JSON.parse(ccusage(['claude', kind, '--json', '--offline', '--timezone', 'UTC'], claudeDir));
}

const ccusageDaily = (claudeDir: string): Daily => ccusageReport('daily', claudeDir) as Daily;

const ctmBin = join(repo, 'bin/ctm.js');
const ctmEnv = (claudeDir: string, dataDir: string) => ({
  CTM_CLAUDE_DIR: claudeDir,
  CTM_DATA_DIR: dataDir,
  CTM_LOG_LEVEL: 'error',
});
function ctmIngest(claudeDir: string, dataDir: string): void {
  run(process.execPath, [ctmBin, 'ingest', '--once', '--timezone', 'UTC'], ctmEnv(claudeDir, dataDir));
}
function ctmReport(kind: ReportKind, claudeDir: string, dataDir: string): any {
  const args = [ctmBin, 'report', kind, '--json', '--timezone', 'UTC'];
  return JSON.parse(run(process.execPath, args, ctmEnv(claudeDir, dataDir)));
}
function ctmDaily(claudeDir: string, dataDir: string): Daily {
  ctmIngest(claudeDir, dataDir);
  return ctmReport('daily', claudeDir, dataDir) as Daily;
}

let ccusageVersion: string;
let ccusageOut: Daily;
try {
  ccusageVersion = ccusage(['--version'], root).trim();
  ccusageOut = ccusageDaily(root);
} catch (error) {
  say(`ccusage could not run: ${(error as Error).message}`);
  process.exit(1);
}
say(`ccusage: ${CCUSAGE_BIN ?? `npx -y ${CCUSAGE}`} (version ${ccusageVersion})`);
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
const cc = byDate(ccusageOut);
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

const tokenDates = [
  ...new Set(diffs.filter((d) => d.model === '(day total)' && d.field.endsWith('Tokens')).map((d) => d.date)),
].sort();
const costDates = new Set(diffs.filter((d) => d.field === 'totalCost').map((d) => d.date));
say(
  `\nDates whose token counts differ: ${tokenDates.length} of ${dates.length}` +
    (tokenDates.length ? ` (${tokenDates[0]} … ${tokenDates.at(-1)})` : '') +
    `; dates whose cost differs: ${costDates.size}`,
);
// The generator writes logs as Claude Code 2.1.97+ does from 2026-09-01 on, older ones before.
const before = dates.filter((d) => d < '2026-09-01');
if (before.length)
  say(
    `  before 2026-09-01 (older log format): ${tokenDates.filter((d) => d < '2026-09-01').length} of ` +
      `${before.length} dates differ in tokens; from 2026-09-01: ${tokenDates.filter((d) => d >= '2026-09-01').length} ` +
      `of ${dates.length - before.length}`,
  );

say('\nTotals over all dates');
const totalRows: string[][] = [];
for (const f of [...FIELDS, 'totalTokens', 'totalCost'] as const) {
  const e =
    f === 'totalTokens'
      ? expected.input + expected.output + expected.cacheWrite5m + expected.cacheWrite1h + expected.cacheRead
      : f === 'totalCost'
        ? undefined
        : expectedField(expected, f);
  totalRows.push([f, fmt(ccusageOut.totals[f]), fmt(ctm.totals[f]), fmt(e)]);
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

// The other reports over the same tree.
const KINDS: ReportKind[] = ['daily', 'weekly', 'monthly', 'session', 'blocks'];
const ccReports = Object.fromEntries(KINDS.map((k) => [k, ccusageReport(k, root)])) as Record<
  ReportKind,
  any
>;
const ctReports = Object.fromEntries(KINDS.map((k) => [k, ctmReport(k, root, join(work, 'data'))])) as Record<
  ReportKind,
  any
>;

say('\nTotals across reports over the same data (totalTokens, totalCost as printed)');
for (const [tool, reports] of [
  ['ccusage', ccReports],
  ['ctm', ctReports],
] as const) {
  const totals = (['daily', 'weekly', 'monthly', 'session'] as const).map((k): [string, string] => [
    k,
    `${reports[k].totals.totalTokens} ${reports[k].totals.totalCost}`,
  ]);
  const same = new Set(totals.map(([, t]) => t)).size === 1;
  say(`  ${tool}: ${same ? 'the very same in all four' : 'differ'}`);
  for (const [k, t] of totals) say(`    ${k.padEnd(8)} ${t}`);
}

/** Key paths of a report (`a[].b`, arrays' elements merged) with the JSON types seen at each. */
function keyPaths(json: unknown): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  const walk = (v: unknown, path: string) => {
    if (!out.has(path)) out.set(path, new Set());
    out.get(path)!.add(typeOf(v));
    if (Array.isArray(v)) for (const e of v) walk(e, `${path}[]`);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  walk(json, '');
  return out;
}
say("\nJSON keys: ccusage's keys missing from ctm or of another type, and ctm's extra keys");
for (const k of KINDS) {
  const a = keyPaths(ccReports[k]);
  const b = keyPaths(ctReports[k]);
  const missing = [...a.keys()].filter((p) => !b.has(p));
  const retyped = [...a.keys()].filter(
    (p) => b.has(p) && [...b.get(p)!].some((t) => !a.get(p)!.has(t) && a.get(p)!.size > 0),
  );
  const extra = [...b.keys()].filter((p) => !a.has(p) && !p.endsWith('[]'));
  say(
    `  ${k}: missing ${missing.length ? missing.join(', ') : 'none'}; other type ${
      retyped.length
        ? retyped.map((p) => `${p} (${[...a.get(p)!].join('|')} vs ${[...b.get(p)!].join('|')})`).join(', ')
        : 'none'
    }`,
  );
  say(`    ctm adds: ${extra.join(', ') || 'nothing'}`);
}

say('\nSessions and blocks');
const ccSessions = new Map<string, any>(ccReports.session.sessions.map((x: any) => [x.sessionId, x]));
const ctSessions = new Map<string, any>(ctReports.session.sessions.map((x: any) => [x.sessionId, x]));
const onlyCc = [...ccSessions.keys()].filter((id) => !ctSessions.has(id));
const onlyCt = [...ctSessions.keys()].filter((id) => !ccSessions.has(id));
const tokenDiff = [...ccSessions.keys()].filter(
  (id) => ctSessions.has(id) && ctSessions.get(id).totalTokens !== ccSessions.get(id).totalTokens,
);
say(
  `  sessions: ccusage ${ccSessions.size}, ctm ${ctSessions.size}; in both with other totalTokens: ${tokenDiff.length}`,
);
for (const id of onlyCc) say(`    only in ccusage: ${id} (projectPath ${ccSessions.get(id).projectPath})`);
for (const id of onlyCt) say(`    only in ctm: ${id} (projectPath ${ctSessions.get(id).projectPath})`);
const ccOrder = ccReports.session.sessions.map((x: any) => x.sessionId).join(' ');
const byCost = [...ccReports.session.sessions]
  .sort((x: any, y: any) => y.totalCost - x.totalCost)
  .map((x: any) => x.sessionId)
  .join(' ');
say(`  ccusage's session order is by cost, highest first: ${ccOrder === byCost ? 'yes' : 'no'}`);
const ccBlocks = ccReports.blocks.blocks as any[];
const ctBlocks = ctReports.blocks.blocks as any[];
const ctById = new Map(ctBlocks.map((b) => [b.id, b]));
const sameIds = ccBlocks.filter((b) => ctById.has(b.id));
say(
  `  blocks: ccusage ${ccBlocks.length}, ctm ${ctBlocks.length}; same id ${sameIds.length}; ` +
    `of those with other entries ${sameIds.filter((b) => b.entries !== ctById.get(b.id).entries).length}, ` +
    `other totalTokens ${sameIds.filter((b) => b.totalTokens !== ctById.get(b.id).totalTokens).length}, ` +
    `other actualEndTime ${sameIds.filter((b) => b.actualEndTime !== ctById.get(b.id).actualEndTime).length}`,
);
say(
  `  usageLimitResetTime set on: ccusage ${ccBlocks.filter((b) => b.usageLimitResetTime).length} blocks, ` +
    `ctm ${ctBlocks.filter((b) => b.usageLimitResetTime).length}`,
);

// One-response probes: the rules where tools could disagree, each alone in a tree of its own.
const at = (minute: number) => new Date(Date.parse('2026-10-10T10:00:00Z') + minute * 60_000).toISOString();
const sonnet = 'claude-sonnet-4-5-20250929';
/** A line with some usage fields replaced (null token fields, a zero cache-write split). */
function withUsage(line: string, usage: Record<string, unknown>): string {
  const json = JSON.parse(line) as { message: { usage: Record<string, unknown> } };
  Object.assign(json.message.usage, usage);
  return JSON.stringify(json);
}

/** The line with "requestId": null written out (assistantLine leaves the key out for requestId: null). */
function nullRequestId(line: string): string {
  return JSON.stringify({ ...JSON.parse(line), requestId: null });
}
const blockUsage = { input: 10, cacheRead: 10_000, output: 500 };

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
  [
    'one response as three content-block lines without a requestId key (apiBlockIndex 0-2)',
    [0, 1, 2].map((i) =>
      assistantLine({ id: 'm1', requestId: null, apiBlockIndex: i, timestamp: at(0), ...blockUsage }),
    ),
  ],
  [
    'one response as three content-block lines, a requestId on the first only (no key on the others)',
    [0, 1, 2].map((i) =>
      assistantLine({
        id: 'm1',
        requestId: i === 0 ? 'req_1' : null,
        apiBlockIndex: i,
        timestamp: at(0),
        ...blockUsage,
      }),
    ),
  ],
  [
    'one response as three content-block lines, "requestId": null on each (as Claude Code 2.1.97+ writes it)',
    [0, 1, 2].map((i) =>
      nullRequestId(assistantLine({ id: 'm1', apiBlockIndex: i, timestamp: at(0), ...blockUsage })),
    ),
  ],
  [
    'one response as two content-block lines, a requestId on the first, "requestId": null on the second',
    [
      assistantLine({ id: 'm1', requestId: 'req_1', apiBlockIndex: 0, timestamp: at(0), ...blockUsage }),
      nullRequestId(assistantLine({ id: 'm1', apiBlockIndex: 1, timestamp: at(0), ...blockUsage })),
    ],
  ],
  [
    'sonnet-4-5, 20 web searches',
    [assistantLine({ id: 'm1', timestamp: at(0), model: sonnet, input: 1000, output: 100, webSearch: 20 })],
  ],
  [
    'opus-4-5, US-only inference (inference_geo us), 1M input',
    [
      assistantLine({
        id: 'm1',
        timestamp: at(0),
        model: 'claude-opus-4-5',
        input: 1e6,
        output: 0,
        geo: 'us',
      }),
    ],
  ],
  [
    'opus-5, fast and US-only, 1M input',
    [
      assistantLine({
        id: 'm1',
        timestamp: at(0),
        model: 'claude-opus-5',
        input: 1e6,
        output: 0,
        speed: 'fast',
        geo: 'us',
      }),
    ],
  ],
  [
    'advisor iteration (claude-fable-5-1, 100k input) on a sonnet-4-5 response',
    [
      assistantLine({
        id: 'm1',
        timestamp: at(0),
        model: sonnet,
        input: 1000,
        output: 100,
        iterations: [
          { type: 'message', input_tokens: 1000, output_tokens: 100 },
          advisorIteration('claude-fable-5-1', 100_000, 1000),
        ],
      }),
    ],
  ],
  [
    'opus-5-5, 1M input',
    [assistantLine({ id: 'm1', timestamp: at(0), model: 'claude-opus-5-5', input: 1e6, output: 0 })],
  ],
  [
    'sonnet-5-5, 1M cache read (0.10 from 2026-10-07)',
    [
      assistantLine({
        id: 'm1',
        timestamp: at(0),
        model: 'claude-sonnet-5-5',
        input: 0,
        cacheRead: 1e6,
        output: 0,
      }),
    ],
  ],
  [
    'haiku-5-5, 150k input (above its 100k tier)',
    [assistantLine({ id: 'm1', timestamp: at(0), model: 'claude-haiku-5-5', input: 150_000, output: 0 })],
  ],
  [
    'fable-5-1, 1M input',
    [assistantLine({ id: 'm1', timestamp: at(0), model: 'claude-fable-5-1', input: 1e6, output: 0 })],
  ],
  [
    'claude-opus-4.8 (dotted), 1M input',
    [assistantLine({ id: 'm1', timestamp: at(0), model: 'claude-opus-4.8', input: 1e6, output: 0 })],
  ],
  [
    "anthropic/claude-4.7-opus-20260416 (a router's spelling), 1M input",
    [
      assistantLine({
        id: 'm1',
        timestamp: at(0),
        model: 'anthropic/claude-4.7-opus-20260416',
        input: 1e6,
        output: 0,
      }),
    ],
  ],
  [
    'deepseek-v4-pro, 1M input',
    [assistantLine({ id: 'm1', timestamp: at(0), model: 'deepseek-v4-pro', input: 1e6, output: 0 })],
  ],
  [
    "a router's usage.cost (0.5) on the line, auto mode",
    [
      assistantLine({
        id: 'm1',
        timestamp: at(0),
        model: 'claude-opus-4-5',
        input: 1e6,
        output: 0,
        routerCost: 0.5,
      }),
    ],
  ],
  [
    'null cache_read_input_tokens',
    [
      withUsage(
        assistantLine({ id: 'm1', timestamp: at(0), model: 'claude-opus-4-5', input: 1000, output: 100 }),
        {
          cache_read_input_tokens: null,
        },
      ),
    ],
  ],
  [
    'cache_creation split {0, 0} with 1M cache_creation_input_tokens',
    [
      withUsage(
        assistantLine({ id: 'm1', timestamp: at(0), model: 'claude-opus-4-5', input: 0, output: 0 }),
        {
          cache_creation_input_tokens: 1e6,
          cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
        },
      ),
    ],
  ],
];
say('\nProbes (one tree each): total tokens, cost and model names as each tool reports them');
const describe = (d: Daily): string =>
  `${d.totals.totalTokens} tokens, $${d.totals.totalCost.toFixed(4)}, ` +
  [...new Set(d.daily.flatMap((day) => day.modelBreakdowns.map((m) => m.modelName)))].join(' ');
/** A probe tree: files under projects/, written afresh. */
function probeTree(name: string, files: Record<string, string[]>): string {
  const dir = join(work, `probe-${name}`);
  for (const [rel, content] of Object.entries(files)) {
    const path = join(dir, 'claude', 'projects', rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content.join('\n') + '\n');
  }
  return dir;
}
PROBES.forEach(([name, probeLines], i) => {
  const dir = probeTree(String(i), { 'p/s.jsonl': probeLines });
  const a = describe(ccusageDaily(join(dir, 'claude')));
  const b = describe(ctmDaily(join(dir, 'claude'), join(dir, 'data')));
  say(`  ${a === b ? 'same' : 'DIFF'}  ${name}\n        ccusage: ${a}\n        ctm:     ${b}`);
});

// Probes of the session and blocks reports.
const sec = (iso: string) => Date.parse(iso) / 1000;
const legacyLimitLine = (timestamp: string, resetsAt: string) =>
  JSON.stringify({
    type: 'assistant',
    sessionId: 's',
    timestamp,
    uuid: `limit-${timestamp}`,
    isApiErrorMessage: true,
    message: {
      id: `synthetic-${timestamp}`,
      model: '<synthetic>',
      role: 'assistant',
      content: [{ type: 'text', text: `Claude AI usage limit reached|${sec(resetsAt)}` }],
      usage: {
        input_tokens: 0,
        output_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    },
  });
const OTHER_PROBES: [string, ReportKind, Record<string, string[]>][] = [
  [
    "a limit hit (today's quotaLimits line) an hour into a block",
    'blocks',
    {
      'p/s.jsonl': [
        assistantLine({ id: 'm1', sessionId: 's', timestamp: at(0) }),
        limitHitLine({ sessionId: 's', timestamp: at(60), resetsAt: sec(at(300)) }),
      ],
    },
  ],
  [
    'a limit hit (the older "usage limit reached|<epoch>" text line) an hour into a block',
    'blocks',
    {
      'p/s.jsonl': [
        assistantLine({ id: 'm1', sessionId: 's', timestamp: at(0) }),
        legacyLimitLine(at(60), at(300)),
      ],
    },
  ],
  [
    "a session with Claude Code's cost-state line",
    'session',
    {
      'p/s.jsonl': [assistantLine({ id: 'm1', sessionId: 's', timestamp: at(0) }), costStateLine('s', 1.23)],
    },
  ],
  [
    "a sidechain replay of a parent's message.id under another requestId (the daily probe above)",
    'session',
    {
      'p/s.jsonl': [
        assistantLine({ id: 'm1', requestId: 'r1', sessionId: 's', timestamp: at(0), output: 500 }),
        assistantLine({
          id: 'm1',
          requestId: 'r2',
          sessionId: 's',
          timestamp: at(1),
          output: 400,
          isSidechain: true,
        }),
      ],
    },
  ],
  [
    'a session with subagents in the three layouts: <project>/agent-*.jsonl (2.0.x), ' +
      '<session>/subagents/agent-*.jsonl, <session>/subagents/workflows/<id>/agent-*.jsonl',
    'session',
    {
      'p/s.jsonl': [assistantLine({ id: 'm1', sessionId: 's', timestamp: at(0) })],
      'p/agent-a0.jsonl': [
        assistantLine({ id: 'm0', sessionId: 's', agentId: 'a0', isSidechain: true, timestamp: at(1) }),
      ],
      'p/s/subagents/agent-a1.jsonl': [
        assistantLine({ id: 'm2', sessionId: 's', agentId: 'a1', isSidechain: true, timestamp: at(1) }),
      ],
      'p/s/subagents/workflows/wf-abc/agent-a2.jsonl': [
        assistantLine({ id: 'm3', sessionId: 's', agentId: 'a2', isSidechain: true, timestamp: at(2) }),
      ],
    },
  ],
];
const describeOther = (kind: ReportKind, json: any): string =>
  kind === 'blocks'
    ? (json.blocks as any[])
        .map(
          (b) =>
            `${b.id} entries ${b.entries}, ${b.totalTokens} tokens, actualEndTime ${b.actualEndTime}, ` +
            `usageLimitResetTime ${b.usageLimitResetTime ?? '—'}`,
        )
        .join('; ')
    : (json.sessions as any[])
        .map(
          (x) =>
            `${x.sessionId} (${x.projectPath}) ${x.totalTokens} tokens` +
            ('reportedCost' in x ? `, reportedCost ${x.reportedCost}` : ''),
        )
        .join('; ');
say('\nProbes of the session and blocks reports');
OTHER_PROBES.forEach(([name, kind, files], i) => {
  const dir = probeTree(`other-${i}`, files);
  const a = describeOther(kind, ccusageReport(kind, join(dir, 'claude')));
  ctmIngest(join(dir, 'claude'), join(dir, 'data'));
  const b = describeOther(kind, ctmReport(kind, join(dir, 'claude'), join(dir, 'data')));
  say(`  ${a === b ? 'same' : 'DIFF'}  ${name}\n        ccusage: ${a}\n        ctm:     ${b}`);
});

mkdirSync(join(values.out, '..'), { recursive: true });
writeFileSync(values.out + '.tmp', lines.join('\n') + '\n');
renameSync(values.out + '.tmp', values.out);
rmSync(work, { recursive: true, force: true });
say(`\nwritten to ${values.out}`);
