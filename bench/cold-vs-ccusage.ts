// `npm run bench:cold`: a new user's first run, side by side with ccusage in the same run. Per tree size, rounds
// alternate: ccusage's `claude daily --json --offline` against `ctm ingest --once` (fresh data dir) followed by
// `ctm report daily --json`, each timed as a child process with its peak RSS from GNU time. Also checks that ctm's
// daily totals are the generator's exact totals, so a fast wrong answer fails. Prints ranges, not best runs.
// ccusage: CTM_CCUSAGE_BIN, else `npx -y ccusage@20.0.24`. Trees are cached like bench/ingest.ts's.
// CTM_BENCH_BASELINE=<another ctm checkout> (e.g. a worktree of the previous release) times its ingest in the
// same rounds, for before/after figures on the very same tree.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateTree, treeKey, type TreeOptions, type TreeTotals } from '../test/fixtures/generate-tree.ts';

const repo = new URL('..', import.meta.url).pathname;
const ctm = join(repo, 'bin/ctm.js');
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: process.env.CTM_BENCH_SIZES ?? '200e6,1e9' },
    runs: { type: 'string', default: process.env.CTM_BENCH_RUNS ?? '5' },
    cache: { type: 'string', default: process.env.CTM_BENCH_CACHE ?? join(tmpdir(), 'ctm-ingest-bench') },
    out: { type: 'string', default: join(repo, 'bench/results/cold-vs-ccusage.json') },
  },
});
const runs = Number(values.runs);
const baseline = process.env.CTM_BENCH_BASELINE
  ? join(process.env.CTM_BENCH_BASELINE, 'bin/ctm.js')
  : undefined;
mkdirSync(values.cache, { recursive: true });
const ccusage = process.env.CTM_CCUSAGE_BIN
  ? [process.env.CTM_CCUSAGE_BIN]
  : ['npx', '-y', 'ccusage@20.0.24'];

function cachedTree(o: Omit<TreeOptions, 'root'>): { root: string; totals: TreeTotals } {
  const root = join(values.cache, `tree-${treeKey(o)}`);
  const marker = join(root, 'expected-totals.json');
  if (existsSync(marker)) return { root, totals: JSON.parse(readFileSync(marker, 'utf8')) as TreeTotals };
  process.stderr.write(`generating ${(o.targetBytes / 1e6).toFixed(0)} MB tree… `);
  const totals = generateTree({ ...o, root });
  writeFileSync(marker + '.tmp', JSON.stringify(totals));
  renameSync(marker + '.tmp', marker);
  process.stderr.write('done\n');
  return { root, totals };
}

interface Run {
  seconds: number;
  peakMb: number;
  stdout: string;
}

/** One child under GNU time: wall seconds and peak RSS (its own; a child's children are not included). */
function timed(cmd: string[], env: NodeJS.ProcessEnv): Run {
  const r = spawnSync('/usr/bin/time', ['-f', '\n%e %M', ...cmd], {
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const last = r.stderr.trim().split('\n').at(-1)!.split(' ');
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} exited ${r.status}: ${r.stderr.slice(-500)}`);
  return { seconds: Number(last[0]), peakMb: Number(last[1]) / 1024, stdout: r.stdout };
}

interface Daily {
  totals: { inputTokens: number; outputTokens: number; cacheCreationTokens: number; cacheReadTokens: number };
}

const range = (xs: number[], digits = 2): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0]!.toFixed(digits)}–${s.at(-1)!.toFixed(digits)} (median ${s[Math.floor(s.length / 2)]!.toFixed(digits)})`;
};

const home = mkdtempSync(join(tmpdir(), 'ctm-cold-home-'));
const results: Record<string, unknown>[] = [];
for (const size of values.sizes.split(',').map(Number)) {
  const { root, totals } = cachedTree({
    targetBytes: size,
    days: 365,
    projects: 50,
    sessions: Math.round((4000 * size) / 1e9) || 200,
  });
  const cc: Run[] = [];
  const ours: { seconds: number; peakMb: number; ingest: number; report: number }[] = [];
  const before: Run[] = [];
  for (let i = 0; i < runs; i++) {
    // ccusage first on odd rounds, second on even ones, so neither always meets the warmer cache.
    const order = i % 2 === 0 ? ['cc', 'ctm', 'base'] : ['base', 'ctm', 'cc'];
    for (const who of order) {
      if (who === 'base') {
        if (!baseline) continue;
        const data = mkdtempSync(join(tmpdir(), 'ctm-cold-base-'));
        const env = { ...process.env, HOME: home, CTM_CLAUDE_DIR: root, CTM_DATA_DIR: data, CTM_TZ: 'UTC' };
        before.push(timed([process.execPath, baseline, 'ingest', '--once'], env));
        rmSync(data, { recursive: true, force: true });
        continue;
      }
      if (who === 'cc') {
        const r = timed([...ccusage, 'claude', 'daily', '--json', '--offline', '--timezone', 'UTC'], {
          ...process.env,
          HOME: home,
          CLAUDE_CONFIG_DIR: root,
        });
        cc.push(r);
        continue;
      }
      const data = mkdtempSync(join(tmpdir(), 'ctm-cold-data-'));
      const env = { ...process.env, HOME: home, CTM_CLAUDE_DIR: root, CTM_DATA_DIR: data, CTM_TZ: 'UTC' };
      const ingest = timed([process.execPath, ctm, 'ingest', '--once'], env);
      const report = timed([process.execPath, ctm, 'report', 'daily', '--json'], env);
      const t = (JSON.parse(report.stdout) as Daily).totals;
      const tokens = t.inputTokens + t.outputTokens + t.cacheCreationTokens + t.cacheReadTokens;
      const exact =
        totals.input + totals.output + totals.cacheWrite5m + totals.cacheWrite1h + totals.cacheRead;
      if (tokens !== exact) throw new Error(`ctm counted ${tokens} tokens, the generator wrote ${exact}`);
      ours.push({
        seconds: ingest.seconds + report.seconds,
        peakMb: Math.max(ingest.peakMb, report.peakMb),
        ingest: ingest.seconds,
        report: report.seconds,
      });
      rmSync(data, { recursive: true, force: true });
    }
  }
  const ratios = ours.map((o, i) => o.seconds / cc[i]!.seconds);
  const mb = totals.bytes / 1e6;
  const row = {
    treeMB: Math.round(mb),
    files: totals.files,
    messages: totals.messages,
    runs,
    ccusageSeconds: cc.map((r) => r.seconds),
    ccusagePeakMb: cc.map((r) => Math.round(r.peakMb)),
    ctmSeconds: ours.map((o) => o.seconds),
    ctmIngestSeconds: ours.map((o) => o.ingest),
    ctmReportSeconds: ours.map((o) => o.report),
    ctmPeakMb: ours.map((o) => Math.round(o.peakMb)),
    ratio: ratios.map((r) => Math.round(r * 100) / 100),
    ...(baseline
      ? {
          baselineIngestSeconds: before.map((r) => r.seconds),
          baselinePeakMb: before.map((r) => Math.round(r.peakMb)),
        }
      : {}),
  };
  results.push(row);
  console.log(
    [
      `${row.treeMB} MB, ${row.files} files, ${row.messages} messages, ${runs} rounds`,
      `  ccusage daily --json:        ${range(cc.map((r) => r.seconds))} s, peak ${range(
        cc.map((r) => r.peakMb),
        0,
      )} MB`,
      `  ctm ingest --once + report: ${range(ours.map((o) => o.seconds))} s, peak ${range(
        ours.map((o) => o.peakMb),
        0,
      )} MB`,
      `    of which ingest ${range(ours.map((o) => o.ingest))} s, report ${range(ours.map((o) => o.report))} s; ${range(
        ours.map((o) => mb / o.ingest),
        0,
      )} MB/s`,
      `  ctm / ccusage, same round:  ${range(ratios)}×`,
      ...(baseline
        ? [
            `  baseline ingest --once:     ${range(before.map((r) => r.seconds))} s, peak ${range(
              before.map((r) => r.peakMb),
              0,
            )} MB (${process.env.CTM_BENCH_BASELINE})`,
          ]
        : []),
    ].join('\n'),
  );
}
rmSync(home, { recursive: true, force: true });
const out = {
  when: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg() },
  ccusage: ccusage.join(' '),
  results,
};
writeFileSync(values.out + '.tmp', JSON.stringify(out, null, 2) + '\n');
renameSync(values.out + '.tmp', values.out);
