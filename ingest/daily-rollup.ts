// Keeps usage_daily in step with the messages a commit writes: each counted row that arrives adds to its
// (day, model, project, machine, user, session) group, each counted row that leaves (replaced by a larger copy)
// subtracts, and the net change of each group touched is written once, inside the transaction of the commit (or
// of the batch of commits) that made it. A group left with no messages is deleted; a group a row left has its
// first and last time and its working directory read again from its messages (a min or max cannot be undone).
import type { Db } from '../src/db/open.ts';

/** A counted message as the rollup sees it. */
export interface RollupRow {
  day: string;
  model: string;
  project: string;
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  totalTokens: number;
  webSearchRequests: number;
  costLogged: number | null;
  costCalc: number | null;
  sessionId: string;
  ts: number;
  cwd: string | null;
  /** The machine and user a hub received the row from; '' (absent) for this machine's own transcripts. */
  machine?: string;
  userName?: string;
}

type Group = Pick<RollupRow, 'day' | 'model' | 'project' | 'sessionId'> & {
  machine: string;
  userName: string;
};

/** The arriving rows' span and least working directory (null: none arrived), and whether any row left. */
interface Span {
  firstTs: number | null;
  lastTs: number | null;
  cwd: string | null;
  shrunk: boolean;
}

interface Sums {
  messages: number;
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  totalTokens: number;
  costAuto: number;
  costCalc: number;
  costDisplay: number;
  unpricedAuto: number;
  unpricedCalc: number;
  webSearchRequests: number;
}

type Delta = Group & Sums & Span;

const zero: Sums = {
  messages: 0,
  input: 0,
  output: 0,
  cacheWrite5m: 0,
  cacheWrite1h: 0,
  cacheRead: 0,
  totalTokens: 0,
  costAuto: 0,
  costCalc: 0,
  costDisplay: 0,
  unpricedAuto: 0,
  unpricedCalc: 0,
  webSearchRequests: 0,
};

const SUM_KEYS = Object.keys(zero) as (keyof Sums)[];

function addInto(d: Sums, o: Sums): void {
  for (const k of SUM_KEYS) d[k] += o[k];
}

function spanInto(d: Span, firstTs: number | null, lastTs: number | null, cwd: string | null): void {
  if (firstTs !== null && (d.firstTs === null || firstTs < d.firstTs)) d.firstTs = firstTs;
  if (lastTs !== null && (d.lastTs === null || lastTs > d.lastTs)) d.lastTs = lastTs;
  if (cwd !== null && (d.cwd === null || cwd < d.cwd)) d.cwd = cwd;
}

const GROUP_WHERE =
  'day = @day AND model = @model AND project = @project AND machine = @machine AND user_name = @userName AND session_id = @sessionId';

export function createDailyRollup(db: Db) {
  // An update first, an insert when the group is new: an upsert would check the new row's CHECKs (no figure
  // below zero, migration 006) against a negative delta before it finds the conflict.
  const update = db.prepare(
    `UPDATE usage_daily SET
       messages = messages + @messages,
       input_tokens = input_tokens + @input,
       output_tokens = output_tokens + @output,
       cache_write_5m_tokens = cache_write_5m_tokens + @cacheWrite5m,
       cache_write_1h_tokens = cache_write_1h_tokens + @cacheWrite1h,
       cache_read_tokens = cache_read_tokens + @cacheRead,
       total_tokens = total_tokens + @totalTokens,
       cost_auto_usd = cost_auto_usd + @costAuto,
       cost_calc_usd = cost_calc_usd + @costCalc,
       cost_display_usd = cost_display_usd + @costDisplay,
       unpriced_auto = unpriced_auto + @unpricedAuto,
       unpriced_calc = unpriced_calc + @unpricedCalc,
       web_search_requests = web_search_requests + @webSearchRequests,
       first_ts = coalesce(min(first_ts, @firstTs), first_ts),
       last_ts = coalesce(max(last_ts, @lastTs), last_ts),
       cwd = CASE WHEN cwd IS NULL OR @cwd < cwd THEN coalesce(@cwd, cwd) ELSE cwd END
     WHERE ${GROUP_WHERE}`,
  );
  const insert = db.prepare(
    `INSERT INTO usage_daily VALUES (@day, @model, @project, @messages, @input, @output, @cacheWrite5m,
       @cacheWrite1h, @cacheRead, @totalTokens, @costAuto, @costCalc, @costDisplay, @unpricedAuto, @unpricedCalc,
       @webSearchRequests, @machine, @userName, @sessionId, @firstTs, @lastTs, @cwd)`,
  );
  const dropEmpty = db.prepare(`DELETE FROM usage_daily WHERE ${GROUP_WHERE} AND messages <= 0`);
  // The day index finds the group's messages (its day and model: a few thousand at most); a group with none
  // to read keeps what it had.
  const respan = db.prepare(
    `UPDATE usage_daily SET (first_ts, last_ts, cwd) = (
       SELECT coalesce(min(ts), first_ts), coalesce(max(ts), last_ts), iif(count(*), min(cwd), cwd)
       FROM usage WHERE ${GROUP_WHERE})
     WHERE ${GROUP_WHERE}`,
  );

  // project_cwds (migration 011): a pair a commit brings is added (most are there already); one a row takes
  // away goes when no counted message names it any more. That check scans the project's messages, but a row
  // leaves for a copy of itself, which names the same pair, and the check runs only for pairs none brought.
  const addPair = db.prepare('INSERT OR IGNORE INTO project_cwds (project, cwd) VALUES (?, ?)');
  const dropPair = db.prepare(
    `DELETE FROM project_cwds WHERE project = @project AND cwd = @cwd
       AND NOT EXISTS (SELECT 1 FROM usage WHERE project = @project AND coalesce(cwd, '') = @cwd)`,
  );

  /** The pending changes of one commit; apply() writes them (call it inside the commit's transaction).
   *  Deferred: it keeps no sums, for a cold load whose usage_daily is summed once at its end
   *  (rebuildDailyRollup), which is cheaper than keeping every group in step batch by batch; its project
   *  and working directory pairs are kept all the same (a few per file, cheaper than a scan at the end). */
  return function begin(deferred = false) {
    const deltas = new Map<string, Delta>();
    // Pairs by `project\0cwd`; consecutive rows mostly share theirs, so the last one is checked first.
    const arrived = new Map<string, [string, string]>();
    const left = new Map<string, [string, string]>();
    let lastProject: string | undefined;
    let lastCwd: string | null | undefined;
    const pair = (into: Map<string, [string, string]>, project: string, cwd: string): void => {
      const key = `${project}\u0000${cwd}`;
      if (!into.has(key)) into.set(key, [project, cwd]);
    };
    const groupOf = (g: Group | RollupRow): Delta => {
      const machine = g.machine ?? '';
      const userName = g.userName ?? '';
      const { day, model, project, sessionId } = g;
      const key = `${day}\u0000${model}\u0000${project}\u0000${machine}\u0000${userName}\u0000${sessionId}`;
      let d = deltas.get(key);
      if (!d) {
        const span = { firstTs: null, lastTs: null, cwd: null, shrunk: false };
        deltas.set(key, (d = { ...zero, ...span, day, model, project, sessionId, machine, userName }));
      }
      return d;
    };
    return {
      deltas,
      arrived,
      left,
      add(row: RollupRow, sign: 1 | -1): void {
        if (sign === -1) pair(left, row.project, row.cwd ?? '');
        else if (row.project !== lastProject || row.cwd !== lastCwd) {
          pair(arrived, row.project, row.cwd ?? '');
          lastProject = row.project;
          lastCwd = row.cwd;
        }
        if (deferred) return;
        const auto = row.costLogged ?? row.costCalc;
        const d = groupOf(row);
        if (sign === 1) spanInto(d, row.ts, row.ts, row.cwd);
        else d.shrunk = true;
        addInto(d, {
          messages: sign,
          input: sign * row.input,
          output: sign * row.output,
          cacheWrite5m: sign * row.cacheWrite5m,
          cacheWrite1h: sign * row.cacheWrite1h,
          cacheRead: sign * row.cacheRead,
          totalTokens: sign * row.totalTokens,
          costAuto: sign * (auto ?? 0),
          costCalc: sign * (row.costCalc ?? 0),
          costDisplay: sign * (row.costLogged ?? 0),
          unpricedAuto: auto === null ? sign : 0,
          unpricedCalc: row.costCalc === null ? sign : 0,
          webSearchRequests: sign * row.webSearchRequests,
        });
      },
      /** Adds another commit's pending changes to these. */
      merge(other: {
        deltas: Map<string, Delta>;
        arrived: Map<string, [string, string]>;
        left: Map<string, [string, string]>;
      }): void {
        for (const [key, p] of other.arrived) if (!arrived.has(key)) arrived.set(key, p);
        for (const [key, p] of other.left) if (!left.has(key)) left.set(key, p);
        for (const o of other.deltas.values()) {
          const d = groupOf(o);
          addInto(d, o);
          spanInto(d, o.firstTs, o.lastTs, o.cwd);
          d.shrunk ||= o.shrunk;
        }
      },
      apply(): void {
        for (const d of deltas.values()) {
          // A group not stored yet whose messages all left again within the commit (a copy replaced by a
          // larger one of another session, say) nets to nothing: no row for it.
          if (update.run(d).changes === 0 && d.messages > 0) insert.run(d);
          if (!d.shrunk) continue;
          if (d.messages < 0) dropEmpty.run(d);
          respan.run(d);
        }
        deltas.clear();
        for (const [project, cwd] of arrived.values()) addPair.run(project, cwd);
        for (const [key, [project, cwd]] of left) if (!arrived.has(key)) dropPair.run({ project, cwd });
        arrived.clear();
        left.clear();
        lastProject = undefined;
      },
    };
  };
}

/** usage_daily's rows summed afresh from the counted messages, under usage_daily's column names. */
export const DAILY_ROLLUP_SELECT = `SELECT day, model, project, count(*) AS messages,
    sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
    sum(cache_write_5m_tokens) AS cache_write_5m_tokens, sum(cache_write_1h_tokens) AS cache_write_1h_tokens,
    sum(cache_read_tokens) AS cache_read_tokens, sum(total_tokens) AS total_tokens,
    total(coalesce(cost_logged_usd, cost_calc_usd)) AS cost_auto_usd, total(cost_calc_usd) AS cost_calc_usd,
    total(cost_logged_usd) AS cost_display_usd,
    sum(coalesce(cost_logged_usd, cost_calc_usd) IS NULL) AS unpriced_auto,
    sum(cost_calc_usd IS NULL) AS unpriced_calc, sum(web_search_requests) AS web_search_requests,
    machine, user_name, session_id, min(ts) AS first_ts, max(ts) AS last_ts, min(cwd) AS cwd
  FROM messages WHERE superseded = 0
  GROUP BY day, model, project, machine, user_name, session_id`;

/** Recomputes the whole rollup from the counted messages (after re-bucketing or repricing every row). */
export function rebuildDailyRollup(db: Db): void {
  db.exec(`DELETE FROM usage_daily; INSERT INTO usage_daily ${DAILY_ROLLUP_SELECT}`);
}

/** Every project and working directory pair the counted messages name ('' for none): project_cwds afresh. */
export const PROJECT_CWDS_SELECT = `SELECT DISTINCT project, coalesce(cwd, '') AS cwd FROM usage`;

/** Recomputes project_cwds from the counted messages (`ctm check`'s repair). */
export function rebuildProjectCwds(db: Db): void {
  db.exec(`DELETE FROM project_cwds; INSERT INTO project_cwds ${PROJECT_CWDS_SELECT}`);
}
