// The groups where the usage_daily rollup differs from summing the counted messages afresh: a group stored
// with other sums, a group the messages no longer have, a group missing from the rollup. For `ctm check`
// (which reports and repairs them) and for the tests, which prove after every ingest that the commits kept
// the rollup in step. The group keys and the sums are read from the table itself (its primary key, the rest),
// so a column a migration adds is compared too. Costs are REAL sums and compared to a billionth of a dollar.
import type { Db } from '../open.ts';
import { DAILY_ROLLUP_SELECT, PROJECT_CWDS_SELECT } from '../../../ingest/daily-rollup.ts';

export type RollupSums = Record<string, number>;

export interface RollupDriftRow {
  /** The group's key columns (day, model, project, …) and their values. */
  group: Record<string, string>;
  /** The group as usage_daily holds it; null when it has no such group. */
  stored: RollupSums | null;
  /** The group summed from the messages; null when no counted message is in it. */
  fresh: RollupSums | null;
}

/** Whether a rollup column holds dollars (a REAL sum, compared with a tolerance). */
export const isCost = (column: string): boolean => column.endsWith('_usd');

type Row = Record<string, string | number>;

// Two plain scans compared in a map: SQLite joins a materialized CTE by scanning it for every row (seconds on
// a year of groups), where this takes about as long as summing the messages once.
export function rollupDrift(db: Db): RollupDriftRow[] {
  const info = db.prepare('SELECT name, pk FROM pragma_table_info(?) ORDER BY cid').all('usage_daily') as {
    name: string;
    pk: number;
  }[];
  const keys = info.filter((c) => c.pk > 0).map((c) => c.name);
  const sums = info.filter((c) => c.pk === 0).map((c) => c.name);
  const keyOf = (row: Row) => JSON.stringify(keys.map((k) => row[k]));
  const pick = (row: Row, cols: string[]) => Object.fromEntries(cols.map((c) => [c, row[c]]));
  const stored = new Map((db.prepare('SELECT * FROM usage_daily').all() as Row[]).map((r) => [keyOf(r), r]));
  const fresh = new Map((db.prepare(DAILY_ROLLUP_SELECT).all() as Row[]).map((r) => [keyOf(r), r]));
  const same = (a: Row, b: Row) =>
    sums.every((c) => (isCost(c) ? Math.abs(Number(a[c]) - Number(b[c])) <= 1e-9 : a[c] === b[c]));
  const drift: RollupDriftRow[] = [];
  for (const key of new Set([...stored.keys(), ...fresh.keys()])) {
    const s = stored.get(key);
    const f = fresh.get(key);
    if (s && f && same(s, f)) continue;
    drift.push({
      group: pick((s ?? f)!, keys) as Record<string, string>,
      stored: s ? (pick(s, sums) as RollupSums) : null,
      fresh: f ? (pick(f, sums) as RollupSums) : null,
    });
  }
  const order = (d: RollupDriftRow) => keys.map((k) => d.group[k]!);
  drift.sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    const i = x.findIndex((v, n) => v !== y[n]);
    return i === -1 ? 0 : x[i]! < y[i]! ? -1 : 1;
  });
  return [...drift, ...pairDrift(db)];
}

/** project_cwds against the pairs the counted messages name: a pair kept that none names, one not kept. */
function pairDrift(db: Db): RollupDriftRow[] {
  const read = (sql: string) =>
    new Set(
      (db.prepare(sql).all() as { project: string; cwd: string }[]).map((r) =>
        JSON.stringify([r.project, r.cwd]),
      ),
    );
  const stored = read('SELECT project, cwd FROM project_cwds');
  const fresh = read(PROJECT_CWDS_SELECT);
  return [...new Set([...stored, ...fresh])]
    .filter((key) => stored.has(key) !== fresh.has(key))
    .sort()
    .map((key) => {
      const [project, cwd] = JSON.parse(key) as [string, string];
      return {
        group: { table: 'project_cwds', project, cwd },
        stored: stored.has(key) ? { pairs: 1 } : null,
        fresh: fresh.has(key) ? { pairs: 1 } : null,
      };
    });
}
