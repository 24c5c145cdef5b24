// `ctm check`: SQLite's integrity check of the whole index, then the usage_daily rollup summed afresh from the
// messages and rebuilt where it differs, saying which groups differed and how. Exit 0 when the index is sound
// (repaired or not), 1 when the file itself is damaged (nothing is written then), 2 for a bad setting.
import { parseArgs } from 'node:util';
import { existsSync, statSync } from 'node:fs';
import { ConfigError, loadConfig } from '../../config.ts';
import { openDb, type Db } from '../../db/open.ts';
import { checkIndex, groupName, type IndexCheck } from '../../db/check-index.ts';
import { isCost, type RollupDriftRow } from '../../db/queries/rollup-drift.ts';
import { formatBytes, formatInt } from '../../format/number.ts';

const SHOWN = 20;

const figure = (n: number): string => (Number.isInteger(n) ? formatInt(n) : n.toFixed(9).replace(/0+$/, ''));

/** One line per differing group: each column as stored, then as the messages have it. */
export function describeDrift(d: RollupDriftRow): string {
  if (d.group.table === 'project_cwds') {
    const pair = `project_cwds: ${d.group.project} ${d.group.cwd || '(no working directory)'}`;
    return d.stored ? `${pair}: kept, but no counted message names it` : `${pair}: named, but not kept`;
  }
  const group = groupName(d.group);
  if (!d.fresh) return `${group}: in usage_daily, but no counted message is`;
  if (!d.stored) return `${group}: missing from usage_daily (${formatInt(d.fresh.messages ?? 0)} messages)`;
  const fresh = d.fresh;
  const stored = d.stored;
  const columns = Object.keys(fresh).filter((c) =>
    isCost(c) ? Math.abs(stored[c]! - fresh[c]!) > 1e-9 : stored[c] !== fresh[c],
  );
  return `${group}: ${columns.map((c) => `${c} ${figure(stored[c]!)} (messages: ${figure(fresh[c]!)})`).join(', ')}`;
}

function damagedReport(path: string, problems: readonly string[]): string {
  return (
    `integrity: damaged, ${formatInt(problems.length)} problem${problems.length === 1 ? '' : 's'}:\n` +
    problems
      .slice(0, SHOWN)
      .map((p) => `  ${p}\n`)
      .join('') +
    (problems.length > SHOWN ? `  … ${formatInt(problems.length - SHOWN)} more\n` : '') +
    `nothing was repaired. Keep a copy of ${path}; \`sqlite3 ${path} .recover | sqlite3 recovered.db\` ` +
    'salvages what it can, or move it aside and run `ctm ingest --once` to index the transcripts still on disk ' +
    '(usage of transcripts deleted since is only in the old file)\n'
  );
}

function report(db: Db, path: string, result: IndexCheck, seconds: number): string {
  const size = formatBytes(statSync(path).size);
  if (result.damaged) return damagedReport(path, result.problems);
  let out = `integrity: ok (PRAGMA integrity_check over ${size})\n`;
  for (const p of result.problems) out += `  ${p} (the rollup's: repaired below)\n`;
  const groups = db.prepare('SELECT count(*) FROM usage_daily').pluck().get() as number;
  const took = `checked in ${seconds.toFixed(2)} s\n`;
  if (!result.repaired)
    return out + `usage_daily: matches the messages (${formatInt(groups)} groups)\n` + took;
  const messages = db.prepare('SELECT count(*) FROM usage').pluck().get() as number;
  out +=
    `usage_daily: ${formatInt(result.drift.length)} group${result.drift.length === 1 ? '' : 's'} differed ` +
    `from the messages; rebuilt from ${formatInt(messages)} messages (${formatInt(groups)} groups)\n`;
  for (const d of result.drift.slice(0, SHOWN)) out += `  ${describeDrift(d)}\n`;
  if (result.drift.length > SHOWN) out += `  … ${formatInt(result.drift.length - SHOWN)} more\n`;
  return out + took;
}

export async function checkCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' } } });
  const config = loadConfig(process.env, values['data-dir'] ? { dataDir: values['data-dir'] } : {});
  if (!existsSync(config.dbPath)) {
    throw new ConfigError('CTM_DATA_DIR', `no index at ${config.dbPath}; run \`ctm ingest --once\` first`);
  }
  let db: Db;
  try {
    db = openDb(config.dbPath);
  } catch (error) {
    // A file SQLite cannot even open as a database is damaged, not misconfigured.
    const code = ((error as Error).cause as { code?: string } | undefined)?.code ?? '';
    if (!/^SQLITE_(CORRUPT|NOTADB)/.test(code)) throw error;
    process.stdout.write(damagedReport(config.dbPath, [((error as Error).cause as Error).message]));
    return 1;
  }
  try {
    const started = performance.now();
    const result = checkIndex(db);
    process.stdout.write(report(db, config.dbPath, result, (performance.now() - started) / 1000));
    return result.damaged ? 1 : 0;
  } finally {
    db.close();
  }
}
