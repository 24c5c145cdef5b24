// Many machines, one report, on real hosts: a hub and three agents, each `ctm start` in a network namespace
// of its own (veth links, as root), each agent with its own generated Claude dir, one session copied onto two
// of them. While lines are appended, the test cuts an agent's link for a while, kills the hub with SIGKILL and
// starts it again, and restarts an agent. At the end the hub's totals per machine, per user and overall equal
// the union of the agents' own indexes exactly (a copied response counted once, under the machine whose name
// sorts first); a bad token, another machine's name, an oversized and a malformed body are refused and change
// nothing.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisorIteration, assistantLine, costStateLine } from '../fixtures/fixture-lines.ts';
import { fixtureTree, tempDir, type FixtureTree } from '../fixtures/fixture-tree.ts';
import { openDb } from '../../src/db/open.ts';
import { ctmBin, node24, repoRoot } from '../fixtures/run-ctm.ts';
import { Hosts } from './netns.ts';

const OTLP = 4318;
const HTTP = 51888;
const MAX_BODY = 2 << 20;

interface Agent {
  name: string;
  user: string;
  token: string;
  ns: string;
  /** The hub-side interface of its link. */
  hubDev: string;
  hubAddr: string;
  tree: FixtureTree;
  dataDir: string;
  proc: ChildProcess | null;
  /** Keys of the rows its index must end with. */
  keys: Set<string>;
}

const logs: string[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(
  what: string,
  fn: () => T | undefined | Promise<T | undefined>,
  ms: number,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch {
      // not there yet
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

function publishFakeSite(dataDir: string): void {
  // A site is already there, so no `ctm start` runs a full Astro build on these two cores.
  const site = join(dataDir, 'site', 'current');
  mkdirSync(site, { recursive: true });
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>ctm</title>\n');
}

let lineNo = 0;
/** A response as Claude Code writes it, with the variety the index keeps (1h cache writes, fast mode,
 * web searches, advisor usage, sidechains). */
function response(id: string, sessionId: string, ts: number, extra: Record<string, unknown> = {}): string {
  const n = lineNo++;
  return assistantLine({
    id,
    sessionId,
    timestamp: new Date(ts).toISOString(),
    model: n % 3 === 0 ? 'claude-opus-4-5-20251101' : 'claude-sonnet-4-5-20250929',
    input: 100 + (n % 97),
    output: 40 + (n % 13),
    cacheWrite: 2000 + (n % 7) * 10,
    cacheWrite1h: n % 2 === 0 ? 500 : 0,
    cacheRead: 10_000 + n,
    ...(n % 5 === 0 ? { speed: 'fast' } : {}),
    ...(n % 11 === 0 ? { webSearch: 2 } : {}),
    ...(n % 7 === 0 ? { iterations: [advisorIteration('claude-fable-5-1', 300 + n, 30)] } : {}),
    ...extra,
  });
}

/** Rows a line adds to an index: the response, and an advisor row if it has advisor usage. */
function keysOf(line: string): string[] {
  const o = JSON.parse(line) as { message?: { id: string; usage: { iterations?: unknown[] } } };
  if (!o.message) return [];
  return [o.message.id, ...(o.message.usage.iterations ? [`${o.message.id}:advisor:0`] : [])];
}

interface Sums {
  messages: number;
  input: number;
  output: number;
  w5: number;
  w1: number;
  cacheRead: number;
  total: number;
  searches: number;
  cost: number;
}

const SUMS = `count(*) AS messages, total(input_tokens) AS input, total(output_tokens) AS output,
  total(cache_write_5m_tokens) AS w5, total(cache_write_1h_tokens) AS w1, total(cache_read_tokens) AS cacheRead,
  total(total_tokens) AS total, total(web_search_requests) AS searches, total(cost_calc_usd) AS cost`;

interface Copy {
  key: string;
  advisorOf: string | null;
  isSidechain: number;
  total: number;
  speed: string | null;
  row: Omit<Sums, 'messages'>;
}

describe('a hub and three agents in network namespaces', () => {
  const hosts = new Hosts();
  let hubNs: string;
  let hubData: string;
  let hubProc: ChildProcess | null = null;
  let hubUrl: string;
  let otlpUrl: string;
  const agents: Agent[] = [];
  const tokens = join(tempDir(), 'tokens');

  const env = (extra: Record<string, string>, home: string): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: home,
    TZ: 'UTC',
    CTM_TZ: 'UTC',
    CTM_LOG_LEVEL: 'warn',
    CTM_REBUILD_CRON: 'off',
    CTM_SNAPSHOT_CRON: 'off',
    CTM_RESCAN_SECONDS: '2',
    ...extra,
  });

  const watch = (name: string, p: ChildProcess): ChildProcess => {
    p.stdout!.on('data', (d: Buffer) => logs.push(`[${name}] ${d}`));
    p.stderr!.on('data', (d: Buffer) => logs.push(`[${name}] ${d}`));
    return p;
  };

  const startHub = (): void => {
    hubProc = watch(
      'hub',
      hosts.spawnIn(
        hubNs,
        node24,
        [ctmBin, 'start'],
        env(
          {
            CTM_DATA_DIR: hubData,
            CTM_CLAUDE_DIR: join(hubData, 'no-claude-dir'),
            CTM_HOST: '0.0.0.0',
            CTM_PORT: String(HTTP),
            CTM_OTLP_HOST: '0.0.0.0',
            CTM_INGEST_TOKENS: tokens,
            CTM_INGEST_MAX_BYTES: String(MAX_BODY),
            CTM_INGEST_RATE: '1000',
            CTM_MACHINE: 'hub',
          },
          hubData,
        ),
        repoRoot,
      ),
    );
  };

  const startAgent = (a: Agent): void => {
    a.proc = watch(
      a.name,
      hosts.spawnIn(
        a.ns,
        node24,
        [ctmBin, 'start'],
        env(
          {
            CTM_DATA_DIR: a.dataDir,
            CTM_CLAUDE_DIR: a.tree.claudeDir,
            CTM_PORT: String(HTTP),
            CTM_PUSH_URL: `http://${a.hubAddr}:${OTLP}`,
            CTM_PUSH_TOKEN: a.token,
            CTM_PUSH_BATCH: '100',
            CTM_MACHINE: a.name,
            CTM_USER: a.user,
          },
          a.tree.root,
        ),
        repoRoot,
      ),
    );
  };

  const stop = (p: ChildProcess | null, signal: NodeJS.Signals): Promise<void> =>
    new Promise((resolve) => {
      if (!p || p.exitCode !== null || p.signalCode !== null) return resolve();
      p.once('exit', () => resolve());
      p.kill(signal);
    });

  const hubHealthy = () =>
    until(
      'the hub to answer health',
      async () => ((await fetch(`${hubUrl}/api/v1/health`)).status === 200 ? true : undefined),
      30_000,
    );

  /** Appends lines to a session file of an agent and notes the rows they add. */
  const append = (a: Agent, rel: string, lines: string[]): void => {
    a.tree.append(rel, lines);
    for (const l of lines) for (const k of keysOf(l)) a.keys.add(k);
  };

  const readDb = <T>(path: string, fn: (db: ReturnType<typeof openDb>) => T): T => {
    const db = openDb(path, { readonly: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    Hosts.check();
    hubNs = hosts.host('hub');
    const root = hosts.link(null, hubNs, 77, 'r');
    hubUrl = `http://${root.bAddr}:${HTTP}`;
    otlpUrl = `http://${root.bAddr}:${OTLP}/v1/logs`;
    hubData = tempDir('ctm-hub-');
    publishFakeSite(hubData);
    const spec = [
      { name: 'a1-desk', user: 'ana' },
      { name: 'a2-laptop', user: 'ana' },
      { name: 'a3-ci', user: 'ben' },
    ];
    const now = Date.now();
    const shared = Array.from({ length: 30 }, (_, i) =>
      response(`msg_shared_${i}`, 'shared', now - 86_400_000 + i * 60_000),
    );
    spec.forEach((s, k) => {
      const ns = hosts.host(`a${k + 1}`);
      const link = hosts.link(hubNs, ns, 78 + k, `h${k + 1}`);
      const tree = fixtureTree();
      const a: Agent = {
        ...s,
        token: `${s.name}-token-${hosts.run}-0123456789`,
        ns,
        hubDev: link.a,
        hubAddr: link.aAddr,
        tree,
        dataDir: tempDir('ctm-agent-'),
        proc: null,
        keys: new Set(),
      };
      publishFakeSite(a.dataDir);
      // Two days of history in three projects, and for a1 and a2 the same copied session.
      for (let p = 0; p < 3; p++)
        for (let sIdx = 0; sIdx < 4; sIdx++) {
          const session = `${s.name}-p${p}-s${sIdx}`;
          const lines = Array.from({ length: 25 }, (_, i) =>
            response(
              `msg_${s.name}_${p}_${sIdx}_${i}`,
              session,
              now - 2 * 86_400_000 + (p * 100 + sIdx * 25 + i) * 30_000,
              {
                cwd: `/home/${s.user}/proj${p}`,
                ...(i % 9 === 4 ? { isSidechain: true, agentId: `agent${i}` } : {}),
              },
            ),
          );
          append(a, `-home-${s.user}-proj${p}/${session}.jsonl`, [
            ...lines,
            costStateLine(session, 1.5 + sIdx),
          ]);
        }
      if (k < 2) append(a, '-home-ana-shared/shared.jsonl', shared);
      agents.push(a);
    });
    writeFileSync(tokens, agents.map((a) => `${a.name} ${a.token}`).join('\n') + '\n');
    startHub();
    await hubHealthy();
    for (const a of agents) startAgent(a);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([stop(hubProc, 'SIGTERM'), ...agents.map((a) => stop(a.proc, 'SIGTERM'))]);
    hosts.remove();
    for (const a of agents) a.tree.remove();
    if (process.env.CTM_TEAM_LOG) process.stdout.write(logs.join(''));
  }, 60_000);

  it('ends with the union of the agents, through a cut link, a killed hub and a restarted agent', async () => {
    const [a1, a2, a3] = agents as [Agent, Agent, Agent];
    let appending = true;
    let hubKilledBy: string | null = null;
    let n = 0;
    const appender = (async () => {
      while (appending) {
        const ts = Date.now() - 5_000;
        const a = agents[n % 3]!;
        append(a, `-home-${a.user}-live/${a.name}-live.jsonl`, [
          response(`msg_live_${a.name}_${n}`, `${a.name}-live`, ts),
        ]);
        if (n % 4 === 0) {
          // The copied session goes on on both machines, line for line.
          const line = response(`msg_shared_live_${n}`, 'shared', ts);
          append(a1, '-home-ana-shared/shared.jsonl', [line]);
          append(a2, '-home-ana-shared/shared.jsonl', [line]);
        }
        if (n % 6 === 0) {
          // A response's later line with more output replaces its earlier copy.
          const id = `msg_grow_${a.name}_${n}`;
          append(a, `-home-${a.user}-live/${a.name}-live.jsonl`, [
            response(id, `${a.name}-live`, ts, { output: 10, iterations: undefined }),
          ]);
          await sleep(150);
          append(a, `-home-${a.user}-live/${a.name}-live.jsonl`, [
            response(id, `${a.name}-live`, ts, { output: 900, iterations: undefined }),
          ]);
        }
        n++;
        await sleep(120);
      }
    })();

    await sleep(3000);
    // a3's link is cut for a while: it keeps ingesting, and sends nothing.
    hosts.setLink(hubNs, a3.hubDev, false);
    await sleep(5000);
    hosts.setLink(hubNs, a3.hubDev, true);
    await sleep(2000);
    // The hub dies without a chance to finish anything, and comes back.
    const killed = hubProc!;
    await stop(killed, 'SIGKILL');
    hubKilledBy = killed.signalCode;
    await sleep(3000);
    startHub();
    await hubHealthy();
    await sleep(2000);
    // An agent is restarted.
    await stop(a2.proc, 'SIGTERM');
    startAgent(a2);
    await sleep(4000);
    appending = false;
    await appender;
    // The faults were real: agents found the hub unreachable (a3 behind its cut link, all of them while the
    // hub was dead), and the hub was killed, not stopped.
    const told = logs.join('');
    for (const a of agents) expect(told).toMatch(new RegExp(`\\[${a.name}\\] [^\\n]*hub not reachable`));
    expect(hubKilledBy).toBe('SIGKILL');

    // Every agent has indexed what was written, and its cursor has reached the end of its index.
    for (const a of agents) {
      const db = join(a.dataDir, 'ctm.db');
      let missing: string[] = [];
      await until(
        `${a.name} to index ${a.keys.size} rows`,
        () =>
          readDb(db, (d) => {
            const have = new Set(d.prepare('SELECT key FROM usage').pluck().all() as string[]);
            missing = [...a.keys].filter((k) => !have.has(k));
            const extra = [...have].filter((k) => !a.keys.has(k));
            return missing.length === 0 && extra.length === 0 ? true : undefined;
          }),
        60_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}; missing ${missing.slice(0, 5).join(', ')}`);
      });
      await until(
        `${a.name} to push everything`,
        () =>
          readDb(db, (d) => {
            const c = d
              .prepare(
                `SELECT after_rowid >= (SELECT max(rowid) FROM messages WHERE machine = '') AND rewind_rowid IS NULL AS done,
                 (SELECT count(*) FROM session_costs s LEFT JOIN push_session_costs p USING (session_id)
                  WHERE p.total_cost_usd IS NOT s.total_cost_usd) AS costs
               FROM push_cursors`,
              )
              .get() as { done: number; costs: number } | undefined;
            return c?.done === 1 && c.costs === 0 ? true : undefined;
          }),
        90_000,
      );
    }

    // The union of the agents' indexes: per response key the copy the hub's rule keeps (here the copies of
    // the shared session are identical, so the machine whose name sorts first), advisor rows with it.
    const copies = new Map<string, (Copy & { machine: string; user: string })[]>();
    for (const a of agents) {
      const rows = readDb(
        join(a.dataDir, 'ctm.db'),
        (d) =>
          d
            .prepare(
              `SELECT key, advisor_of AS advisorOf, is_sidechain AS isSidechain, total_tokens AS total, speed,
               input_tokens AS input, output_tokens AS output, cache_write_5m_tokens AS w5,
               cache_write_1h_tokens AS w1, cache_read_tokens AS cacheRead, web_search_requests AS searches,
               cost_calc_usd AS cost FROM usage`,
            )
            .all() as (Omit<Copy, 'row'> & Omit<Sums, 'messages'>)[],
      );
      for (const r of rows) {
        const copy = { ...r, row: { ...r, total: r.total }, machine: a.name, user: a.user };
        copies.set(r.key, [...(copies.get(r.key) ?? []), copy]);
      }
    }
    const winnerOf = new Map<string, string>();
    const beats = (x: Copy & { machine: string }, y: Copy & { machine: string }) =>
      x.isSidechain !== y.isSidechain
        ? x.isSidechain < y.isSidechain
        : x.total !== y.total
          ? x.total > y.total
          : (x.speed !== null) !== (y.speed !== null)
            ? x.speed !== null
            : x.machine < y.machine;
    for (const [key, cs] of copies) {
      if (cs[0]!.advisorOf !== null) continue;
      winnerOf.set(key, cs.reduce((best, c) => (beats(c, best) ? c : best)).machine);
    }
    const expected = { machine: new Map<string, Sums>(), user: new Map<string, Sums>(), all: zero() };
    function zero(): Sums {
      return { messages: 0, input: 0, output: 0, w5: 0, w1: 0, cacheRead: 0, total: 0, searches: 0, cost: 0 };
    }
    const add = (m: Map<string, Sums> | null, k: string, r: Omit<Sums, 'messages'>, into?: Sums) => {
      const s = into ?? m!.get(k) ?? zero();
      s.messages++;
      for (const f of ['input', 'output', 'w5', 'w1', 'cacheRead', 'total', 'searches', 'cost'] as const)
        s[f] += r[f] ?? 0;
      m?.set(k, s);
    };
    for (const [key, cs] of copies) {
      const parent = cs[0]!.advisorOf ?? key;
      const c = cs.find((x) => x.machine === winnerOf.get(parent))!;
      add(expected.machine, c.machine, c.row);
      add(expected.user, c.user, c.row);
      add(null, '', c.row, expected.all);
    }
    // The copied session really is on two machines, and counted once.
    expect(copies.get('msg_shared_0')!.map((c) => c.machine)).toEqual(['a1-desk', 'a2-laptop']);

    const hubDb = join(hubData, 'ctm.db');
    // Costs are sums of floats added in arrival order, which differs between the hub and the agents: equal to
    // within a millionth of a dollar, counts exactly.
    const near = (s: Sums) => ({ ...s, cost: expect.closeTo(s.cost, 6) });
    const hubSums = (group: string) =>
      readDb(hubDb, (d) =>
        d.prepare(`SELECT ${group} AS k, ${SUMS} FROM usage GROUP BY 1 ORDER BY 1`).all(),
      ) as (Sums & {
        k: string;
      })[];
    const asMap = (rows: (Sums & { k: string })[]) => Object.fromEntries(rows.map(({ k, ...s }) => [k, s]));
    await until(
      'the hub to hold the union',
      () => (hubSums("'all'")[0]?.messages === expected.all.messages ? true : undefined),
      30_000,
    );
    expect(asMap(hubSums('machine'))).toEqual(
      Object.fromEntries([...expected.machine].sort().map(([k, s]) => [k, near(s)])),
    );
    expect(asMap(hubSums('user_name'))).toEqual(
      Object.fromEntries([...expected.user].sort().map(([k, s]) => [k, near(s)])),
    );
    expect(asMap(hubSums("'all'"))).toEqual({ all: near(expected.all) });

    // The rollup the reports read agrees, and the API reports the same per machine.
    const rollup = readDb(hubDb, (d) =>
      d
        .prepare(
          `SELECT machine AS k, sum(messages) AS messages, sum(total_tokens) AS total FROM usage_daily GROUP BY 1 ORDER BY 1`,
        )
        .all(),
    );
    expect(rollup).toEqual(
      [...expected.machine].sort().map(([k, s]) => ({ k, messages: s.messages, total: s.total })),
    );
    const from = new Date(Date.now() - 4 * 86_400_000).toISOString().slice(0, 10);
    const usage = (await (await fetch(`${hubUrl}/api/v1/usage?groupBy=machine&from=${from}`)).json()) as {
      rows: { key: string; messages: number; totalTokens: number }[];
    };
    expect(usage.rows.map((r) => [r.key, r.messages, r.totalTokens]).sort()).toEqual(
      [...expected.machine].sort().map(([k, s]) => [k, s.messages, s.total]),
    );
    const health = (await (await fetch(`${hubUrl}/api/v1/health`)).json()) as {
      status: string;
      machines: { machine: string; pending: number }[];
    };
    expect(health.status).toBe('ok');
    expect(health.machines.map((m) => [m.machine, m.pending])).toEqual(agents.map((a) => [a.name, 0]));
    // Claude Code's session figures arrived too.
    expect(readDb(hubDb, (d) => d.prepare('SELECT count(*) FROM session_costs').pluck().get())).toBe(
      3 * 12 + 0,
    );
  }, 300_000);

  it('refuses a bad token, another machine, an oversized and a malformed body, and changes nothing', async () => {
    const hubDb = join(hubData, 'ctm.db');
    const snapshot = () =>
      readDb(hubDb, (d) => ({
        sums: d.prepare(`SELECT ${SUMS} FROM usage`).get(),
        machines: d.prepare('SELECT machine, accepted, duplicates FROM hub_machines ORDER BY 1').all(),
      }));
    const before = snapshot();
    const record = (machine: string) =>
      JSON.stringify({
        resourceLogs: [
          {
            resource: { attributes: [{ key: 'ctm.machine', value: { stringValue: machine } }] },
            scopeLogs: [
              {
                logRecords: [
                  {
                    timeUnixNano: `${Date.now()}000000`,
                    eventName: 'ctm.usage',
                    attributes: [
                      ['ctm.key', 'msg_intruder'],
                      ['ctm.message_id', 'msg_intruder'],
                      ['model', 'claude-opus-4-5-20251101'],
                      ['session.id', 'x'],
                      ['ctm.project', 'x'],
                      ['input_tokens', '1000000'],
                      ['output_tokens', '1'],
                    ].map(([key, v]) => ({ key, value: { stringValue: v } })),
                  },
                ],
              },
            ],
          },
        ],
      });
    const post = (token: string, body: string) =>
      fetch(otlpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      });
    const [a1] = agents as [Agent];
    expect((await post('not-the-token-0123456789', record(a1.name))).status).toBe(401);
    expect((await post(a1.token, record('a3-ci'))).status).toBe(403);
    expect((await post(a1.token, record(a1.name).replace('"x"', `"${'x'.repeat(MAX_BODY)}"`))).status).toBe(
      413,
    );
    const malformed = await post(a1.token, '{"resourceLogs": [{"scopeLogs": {"logRecords": []}}]}');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { message: string }).message).toMatch(/scopeLogs: expected an array/);
    expect(snapshot()).toEqual(before);
  });
});
