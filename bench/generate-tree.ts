// Writes a synthetic Claude config tree (projects/<encoded cwd>/<session>.jsonl plus subagent files in the
// 2.0.x and 2.1.x layouts) that looks like heavy real use: most bytes are tool output on user lines, each API
// response is several lines with streaming-start copies, progress lines carry subagent copies, resumed
// sessions copy earlier responses, sidechain replays reuse a parent's message.id, a few lines are multi-MB.
// Sessions from MODERN_FROM on are written as Claude Code 2.1.24x+ writes them: every content-block line
// repeats the final usage (numbered by apiBlockIndex), requestId is null on some lines or whole responses,
// advisor iterations, US-only inference, web searches, thinking tokens, today's line types, cost-state and
// limit-hit lines, and subagents under subagents/workflows/<id>/ with meta.json and a journal.jsonl.
// Deterministic for given options (seeded PRNG). Returns what an exact ingest must count, per the accounting
// rules, so benchmarks and tests can check totals. Usable as a library (generateTree) and as a CLI.
import { closeSync, mkdirSync, openSync, rmSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

export interface TreeOptions {
  /** The Claude config dir to create (projects/ goes inside). Replaced if it exists. */
  root: string;
  targetBytes: number;
  days: number;
  projects: number;
  sessions: number;
  seed?: number;
  /** Last day with data, YYYY-MM-DD (UTC). */
  endDate?: string;
  /** Share of sessions that start subagents (0 gives exactly one file per session). */
  subagentRate?: number;
}

export interface TokenTotals {
  messages: number;
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
}

export interface TreeTotals extends TokenTotals {
  files: number;
  bytes: number;
  lines: number;
  /** Lines ctm parses: assistant copies, synthetic lines and cost-state (progress lines are counted by type). */
  usageLines: number;
  /** UTC day → tokens of the messages counted that day. */
  byDay: Record<string, TokenTotals>;
  byModel: Record<string, TokenTotals>;
  unknownModels: string[];
}

export const UNKNOWN_MODEL = 'claude-nimbus-7-20270301';
const MODELS: [string, number][] = [
  ['claude-sonnet-4-5-20250929', 38],
  ['claude-opus-4-5-20251101', 24],
  ['claude-haiku-4-5-20251001', 10],
  ['claude-opus-4-1-20250805', 6],
  ['claude-sonnet-4-20250514', 6],
  ['claude-opus-4-6', 8],
  [UNKNOWN_MODEL, 8],
];

/** The advisor model of modern sessions' advisor iterations. */
export const ADVISOR_MODEL = 'claude-fable-5-1';
const MODERN_MODELS: [string, number][] = [
  ['claude-opus-5-5', 30],
  ['claude-sonnet-5-5', 30],
  ['claude-haiku-5-5', 10],
  ['claude-opus-4-8', 10],
  ['claude-opus-5', 10],
  [UNKNOWN_MODEL, 5],
];
const MODERN_FROM = Date.parse('2026-09-01T00:00:00Z');
const MODERN_VERSION = '2.1.262';
const isModern = (version: string): boolean => version === MODERN_VERSION;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'const let return function import export from await async if else for while new this null true false ' +
  'src/index.ts test expect describe it error warning build npm run vitest tsc eslint prettier options ' +
  'config path file line column string number boolean Promise Map Set Array Object JSON parse stringify ' +
  'the a of to in and is that it for with as was on be at by this from have or one had not but what all'
).split(' ');

function makePool(random: () => number, size: number): string {
  const parts: string[] = [];
  let n = 0;
  while (n < size) {
    const w = WORDS[Math.floor(random() * WORDS.length)]!;
    const sep = random() < 0.08 ? '\n' : random() < 0.02 ? '\t' : ' ';
    parts.push(w, sep);
    n += w.length + 1;
  }
  return parts.join('');
}

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function emptyTotals(): TokenTotals {
  return { messages: 0, input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };
}

function addTo(t: TokenTotals, u: Usage): void {
  t.messages++;
  t.input += u.input;
  t.output += u.output;
  t.cacheWrite5m += u.cacheWrite - u.cacheWrite1h;
  t.cacheWrite1h += u.cacheWrite1h;
  t.cacheRead += u.cacheRead;
}

interface Usage {
  input: number;
  output: number;
  cacheWrite: number;
  cacheWrite1h: number;
  cacheRead: number;
  split: boolean;
  speed?: string;
  geo?: string;
  thinking?: number;
  webSearches?: number;
  advisor?: { input: number; output: number; cacheRead: number };
}

interface Ctx {
  sessionId: string;
  cwd: string;
  version: string;
  gitBranch: string;
  isSidechain: boolean;
  agentId?: string;
}

/** A file being written: lines buffered and flushed in ~1 MB writes. */
class Out {
  readonly path: string;
  private fd: number;
  private buf: string[] = [];
  private bufLen = 0;
  bytes = 0;
  lines = 0;
  lastTs = 0;
  constructor(path: string) {
    this.path = path;
    this.fd = openSync(path, 'w');
  }
  push(line: string, ts: number): void {
    this.buf.push(line, '\n');
    this.bufLen += line.length + 1;
    this.lines++;
    if (ts > this.lastTs) this.lastTs = ts;
    if (this.bufLen > 1 << 20) this.flush();
  }
  /** Bytes written so far, buffered ones included. */
  get size(): number {
    return this.bytes + this.bufLen;
  }
  flush(): void {
    if (this.buf.length === 0) return;
    this.bytes += writeSync(this.fd, this.buf.join(''));
    this.buf = [];
    this.bufLen = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
    const when = new Date(this.lastTs || Date.now());
    utimesSync(this.path, when, when);
  }
}

export function generateTree(options: TreeOptions): TreeTotals {
  const random = mulberry32(options.seed ?? 42);
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const id = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += B62[Math.floor(random() * 62)];
    return s;
  };
  const uuid = (): string => {
    const h = () =>
      Math.floor(random() * 0x10000)
        .toString(16)
        .padStart(4, '0');
    return `${h()}${h()}-${h()}-4${h().slice(1)}-a${h().slice(1)}-${h()}${h()}${h()}`;
  };
  const pool = makePool(random, 1 << 21);
  const b64pool = Array.from({ length: 4096 }, () => B62[Math.floor(random() * 62)]).join('');
  const text = (len: number): string => {
    if (len <= pool.length) {
      const at = Math.floor(random() * (pool.length - len));
      return pool.slice(at, at + len);
    }
    return pool.repeat(Math.ceil(len / pool.length)).slice(0, len);
  };
  const pickModel = (version = ''): string => {
    const models = isModern(version) ? MODERN_MODELS : MODELS;
    let r = random() * models.reduce((sum, [, w]) => sum + w, 0);
    for (const [m, w] of models) if ((r -= w) < 0) return m;
    return models[0]![0];
  };
  // Tool output sizes: mostly small, a long tail, and rare multi-MB outputs.
  const toolOutputLen = (): number => {
    const r = random();
    if (r < 0.65) return int(100, 1500);
    if (r < 0.93) return int(1500, 20_000);
    if (r < 0.999) return int(20_000, 120_000);
    return int(1_000_000, 5_000_000);
  };

  const totals: TreeTotals = {
    ...emptyTotals(),
    files: 0,
    bytes: 0,
    lines: 0,
    usageLines: 0,
    byDay: {},
    byModel: {},
    unknownModels: [UNKNOWN_MODEL],
  };
  const count = (model: string, ts: number, u: Usage): void => {
    addTo(totals, u);
    const day = new Date(ts).toISOString().slice(0, 10);
    addTo((totals.byDay[day] ??= emptyTotals()), u);
    addTo((totals.byModel[model] ??= emptyTotals()), u);
  };

  const projectsDir = join(options.root, 'projects');
  rmSync(options.root, { recursive: true, force: true });
  mkdirSync(projectsDir, { recursive: true });
  const projects = Array.from({ length: options.projects }, (_, i) => {
    const cwd = `/home/dev/src/project-${String(i + 1).padStart(2, '0')}`;
    const dir = join(projectsDir, cwd.replace(/[/.]/g, '-'));
    mkdirSync(dir, { recursive: true });
    return { cwd, dir, recent: [] as string[][] };
  });

  const endMs = Date.parse(`${options.endDate ?? '2026-11-01'}T00:00:00Z`);
  const startMs = endMs - (options.days - 1) * 86_400_000;
  const subagentRate = options.subagentRate ?? 0.3;
  // Per-session byte budgets: uneven, like real use (many short sessions, a few long ones).
  const weights = Array.from({ length: options.sessions }, () => Math.exp(random() * 2.5));
  const weightSum = weights.reduce((a, b) => a + b, 0);

  const usageObj = (u: Usage, output: number): Record<string, unknown> => {
    const o: Record<string, unknown> = {
      input_tokens: u.input,
      cache_creation_input_tokens: u.cacheWrite,
      cache_read_input_tokens: u.cacheRead,
    };
    if (u.split)
      o.cache_creation = {
        ephemeral_5m_input_tokens: u.cacheWrite - u.cacheWrite1h,
        ephemeral_1h_input_tokens: u.cacheWrite1h,
      };
    o.output_tokens = output;
    o.service_tier = 'standard';
    if (u.speed) o.speed = u.speed;
    if (u.geo) o.inference_geo = u.geo;
    if (u.thinking) o.output_tokens_details = { thinking_tokens: u.thinking };
    if (u.webSearches) o.server_tool_use = { web_search_requests: u.webSearches, web_fetch_requests: 0 };
    if (u.advisor)
      o.iterations = [
        { type: 'message', input_tokens: u.input, output_tokens: output },
        {
          type: 'advisor_message',
          model: ADVISOR_MODEL,
          input_tokens: u.advisor.input,
          output_tokens: u.advisor.output,
          cache_read_input_tokens: u.advisor.cacheRead,
        },
      ];
    return o;
  };
  const drawUsage = (model: string, version: string): Usage => {
    const longContext = model.includes('sonnet-4-5') && random() < 0.06;
    const cacheWrite = random() < 0.7 ? int(0, 3000) : int(3000, 30_000);
    const split = !version.startsWith('1.');
    const u: Usage = {
      input: random() < 0.9 ? int(1, 12) : int(100, 8000),
      output: int(15, random() < 0.9 ? 1500 : 12_000),
      cacheWrite,
      cacheWrite1h: split && random() < 0.3 ? int(0, cacheWrite) : 0,
      cacheRead: longContext ? int(200_001, 600_000) : int(8000, 180_000),
      split,
    };
    if (model === 'claude-opus-4-6' && random() < 0.25) u.speed = 'fast';
    if (isModern(version)) {
      if (model.startsWith('claude-opus-5') && random() < 0.1) u.speed = 'fast';
      if (random() < 0.08) u.geo = 'us';
      if (random() < 0.04) u.webSearches = int(1, 5);
      if (random() < 0.4) u.thinking = int(0, u.output);
      if (random() < 0.06)
        u.advisor = { input: int(20_000, 150_000), output: int(400, 1800), cacheRead: int(0, 50_000) };
    }
    return u;
  };

  const lineBase = (c: Ctx, parentUuid: string | null): Record<string, unknown> => {
    const o: Record<string, unknown> = {
      parentUuid,
      isSidechain: c.isSidechain,
      userType: 'external',
      cwd: c.cwd,
      sessionId: c.sessionId,
      version: c.version,
      gitBranch: c.gitBranch,
    };
    if (c.agentId) o.agentId = c.agentId;
    return o;
  };

  /** One API response as 1–4 lines (one per content block); early lines carry streaming-start output. */
  const writeResponse = (
    out: Out,
    c: Ctx,
    t: number,
    model: string,
    opts: { messageId?: string; counted: boolean; progressTo?: Out; wantTool: boolean },
  ): { messageId: string; lines: string[]; last: number; toolId?: string } => {
    const messageId = opts.messageId ?? `msg_01${id(22)}`;
    const requestId = `req_011C${id(20)}`;
    const modern = isModern(c.version);
    // 2.1.97+: requestId is null on a whole response, or on some of its lines.
    const noRequestId = modern && random() < 0.2;
    const u = drawUsage(model, c.version);
    const blocks: Record<string, unknown>[] = [];
    if (random() < 0.4)
      blocks.push({
        type: 'thinking',
        thinking: text(int(200, 3000)),
        signature: b64pool.slice(0, int(300, 1200)),
      });
    if (random() < 0.8 || !opts.wantTool) blocks.push({ type: 'text', text: text(int(40, 1600)) });
    let toolId: string | undefined;
    if (opts.wantTool) {
      toolId = `toolu_01${id(22)}`;
      const big = random() < 0.02;
      blocks.push({
        type: 'tool_use',
        id: toolId,
        name: pick(['Read', 'Bash', 'Edit', 'Write', 'Grep', 'Glob']),
        input: big
          ? {
              file_path: `${c.cwd}/src/gen.ts`,
              content: text(random() < 0.05 ? 2_000_000 : int(20_000, 80_000)),
            }
          : { command: text(int(20, 300)) },
      });
    }
    const written: string[] = [];
    let parent: string | null = null;
    let lastTs = t;
    blocks.forEach((block, i) => {
      const final = i === blocks.length - 1;
      const lineTs = t + i * int(50, 1500);
      lastTs = lineTs;
      const line = {
        ...lineBase(c, parent),
        message: {
          model,
          id: messageId,
          type: 'message',
          role: 'assistant',
          content: [block],
          stop_reason: final ? (toolId ? 'tool_use' : 'end_turn') : null,
          stop_sequence: null,
          usage: usageObj(u, final || modern ? u.output : int(1, 10)),
        },
        requestId: noRequestId || (modern && random() < 0.3) ? null : requestId,
        type: 'assistant',
        uuid: uuid(),
        timestamp: new Date(lineTs).toISOString(),
        ...(modern ? { apiBlockIndex: i } : {}),
      };
      parent = line.uuid;
      const s = JSON.stringify(line);
      out.push(s, lineTs);
      written.push(s);
      totals.usageLines++;
      if (opts.progressTo) {
        opts.progressTo.push(
          JSON.stringify({
            ...lineBase({ ...c, isSidechain: false, agentId: undefined }, null),
            type: 'progress',
            data: { type: 'agent_progress', message: line, prompt: '', agentId: c.agentId },
            toolUseID: `toolu_01${id(22)}`,
            parentToolUseID: `toolu_01${id(22)}`,
            uuid: uuid(),
            timestamp: new Date(lineTs + 5).toISOString(),
          }),
          lineTs + 5,
        );
      }
    });
    // The counted copy is the last line: it carries the full output count (in modern logs every line does,
    // and the first one is kept).
    if (opts.counted) {
      count(model, modern ? t : lastTs, u);
      if (u.advisor)
        count(ADVISOR_MODEL, modern ? t : lastTs, {
          ...u.advisor,
          cacheWrite: 0,
          cacheWrite1h: 0,
          split: false,
        });
    }
    return { messageId, lines: written, last: lastTs, ...(toolId ? { toolId } : {}) };
  };

  const userLine = (c: Ctx, t: number, content: unknown, extra?: Record<string, unknown>): string =>
    JSON.stringify({
      ...lineBase(c, null),
      type: 'user',
      message: { role: 'user', content },
      uuid: uuid(),
      timestamp: new Date(t).toISOString(),
      ...extra,
    });

  /** Turns until the byte budget is spent: prompt, responses with tool calls and their outputs. */
  const writeConversation = (
    out: Out,
    c: Ctx,
    t0: number,
    budget: number,
    model: string,
    hooks: { progressTo?: Out; onResponse?: (messageId: string, lines: string[]) => void } = {},
  ): number => {
    let t = t0;
    const start = () => out.size;
    const base = start();
    while (start() - base < budget) {
      out.push(userLine(c, t, text(int(30, 1500))), t);
      if (!c.isSidechain && random() < 0.5)
        out.push(
          JSON.stringify({
            type: 'file-history-snapshot',
            messageId: uuid(),
            snapshot: { messageId: uuid(), trackedFileBackups: {}, timestamp: new Date(t).toISOString() },
            isSnapshotUpdate: false,
          }),
          t,
        );
      const steps = int(1, 8);
      for (let s = 0; s < steps && start() - base < budget; s++) {
        t += int(2, 40) * 1000;
        if (random() < 0.004) {
          const line = {
            ...lineBase(c, null),
            message: {
              id: uuid(),
              model: '<synthetic>',
              role: 'assistant',
              type: 'message',
              content: [{ type: 'text', text: 'No response requested.' }],
              stop_reason: 'stop_sequence',
              stop_sequence: '',
              usage: usageObj(
                { input: 0, output: 0, cacheWrite: 0, cacheWrite1h: 0, cacheRead: 0, split: false },
                0,
              ),
            },
            type: 'assistant',
            uuid: uuid(),
            timestamp: new Date(t).toISOString(),
          };
          out.push(JSON.stringify(line), t);
          totals.usageLines++;
          continue;
        }
        const wantTool = s < steps - 1;
        if (isModern(c.version) && random() < 0.1)
          out.push(
            JSON.stringify({
              type: pick(['attachment', 'mode', 'file-history-delta', 'ai-title', 'last-prompt']),
              sessionId: c.sessionId,
              uuid: uuid(),
              timestamp: new Date(t).toISOString(),
              data: { kind: pick(['file', 'plan', 'edit']) },
            }),
            t,
          );
        if (isModern(c.version) && random() < 0.003) {
          out.push(
            JSON.stringify({
              ...lineBase(c, null),
              type: 'assistant',
              uuid: uuid(),
              timestamp: new Date(t).toISOString(),
              error: 'rate_limit',
              isApiErrorMessage: true,
              apiErrorStatus: 429,
              quotaLimits: {
                status: 'rejected',
                resetsAt: Math.floor(t / 1000) + 3600,
                rateLimitType: 'five_hour',
              },
              message: {
                id: uuid(),
                model: '<synthetic>',
                role: 'assistant',
                content: [{ type: 'text', text: 'Claude AI usage limit reached' }],
                usage: usageObj(
                  { input: 0, output: 0, cacheWrite: 0, cacheWrite1h: 0, cacheRead: 0, split: false },
                  0,
                ),
              },
            }),
            t,
          );
          totals.usageLines++;
        }
        const r = writeResponse(out, c, t, random() < 0.05 ? pickModel(c.version) : model, {
          counted: true,
          wantTool,
          ...(hooks.progressTo ? { progressTo: hooks.progressTo } : {}),
        });
        hooks.onResponse?.(r.messageId, r.lines);
        t = r.last + int(1, 5) * 1000;
        if (r.toolId) {
          const output = text(toolOutputLen());
          out.push(
            userLine(
              c,
              t,
              [{ tool_use_id: r.toolId, type: 'tool_result', content: output, is_error: false }],
              { toolUseResult: { stdout: output.slice(0, 2000), stderr: '', interrupted: false } },
            ),
            t,
          );
        }
      }
      t += int(20, 600) * 1000;
    }
    return t;
  };

  const closeOut = (out: Out): void => {
    out.close();
    totals.files++;
    totals.bytes += out.bytes;
    totals.lines += out.lines;
  };

  let planned = 0;
  let written = 0;
  for (let s = 0; s < options.sessions; s++) {
    const project = projects[int(0, projects.length - 1)]!;
    const sessionId = uuid();
    const r = random();
    const day = startMs + Math.floor(random() * options.days) * 86_400_000;
    const version = day >= MODERN_FROM ? MODERN_VERSION : r < 0.05 ? '1.0.98' : r < 0.25 ? '2.0.64' : '2.1.3';
    const c: Ctx = {
      sessionId,
      cwd: project.cwd,
      version,
      gitBranch: pick(['main', 'main', 'feature/parser', 'fix/cache']),
      isSidechain: false,
    };
    // Budgets follow the weights, corrected for what earlier sessions overshot (multi-MB outputs).
    planned += (options.targetBytes * weights[s]!) / weightSum;
    const budget = Math.max(planned - written, (0.2 * options.targetBytes * weights[s]!) / weightSum);
    let t = day + int(6, 22) * 3_600_000 + int(0, 3599) * 1000;
    const model = pickModel(version);
    const out = new Out(join(project.dir, `${sessionId}.jsonl`));

    // A resumed session starts with copies of an earlier session's last responses (same keys).
    if (project.recent.length > 0 && random() < 0.06) {
      for (const lines of project.recent.slice(-3)) {
        for (const line of lines) {
          out.push(line.replace(/"sessionId":"[^"]+"/, `"sessionId":"${sessionId}"`), t);
          totals.usageLines++;
        }
      }
    }
    const parentIds: string[] = [];
    const recent: string[][] = [];
    const subagents = version.startsWith('1.') ? 0 : random() < subagentRate ? int(1, 3) : 0;
    const mainShare = subagents > 0 ? 0.7 : 1;
    t = writeConversation(out, c, t, budget * mainShare, model, {
      onResponse: (messageId, lines) => {
        parentIds.push(messageId);
        recent.push(lines);
        if (recent.length > 3) recent.shift();
      },
    });
    // 1.0.x: sidechain lines inline in the session file.
    if (version.startsWith('1.') && random() < 0.5) {
      const side = { ...c, isSidechain: true };
      writeResponse(out, side, t, 'claude-haiku-4-5-20251001', { counted: true, wantTool: false });
      t += 5000;
    }
    for (let a = 0; a < subagents; a++) {
      const agentId = id(8).toLowerCase();
      const side: Ctx = { ...c, isSidechain: true, agentId };
      // Modern: some subagents run in a workflow, with a meta.json and the workflow's journal beside them.
      const subDir =
        isModern(version) && random() < 0.4
          ? join(project.dir, sessionId, 'subagents', 'workflows', `wf-${id(6).toLowerCase()}`)
          : join(project.dir, sessionId, 'subagents');
      const path = version.startsWith('2.0.')
        ? join(project.dir, `agent-${agentId}.jsonl`)
        : join(subDir, `agent-${agentId}.jsonl`);
      if (!version.startsWith('2.0.')) mkdirSync(subDir, { recursive: true });
      if (isModern(version)) {
        const meta = JSON.stringify({ agentType: pick(['Explore', 'general-purpose', 'code-reviewer']) });
        writeFileSync(join(subDir, `agent-${agentId}.meta.json`), meta);
        if (subDir.includes('workflows'))
          writeFileSync(
            join(subDir, 'journal.jsonl'),
            JSON.stringify({ type: 'step', agentId, usage: { input_tokens: 999_999 } }) + '\n',
          );
      }
      const agentOut = new Out(path);
      // Sometimes the subagent's first line replays a parent response (same message.id, new requestId).
      if (parentIds.length > 0 && random() < 0.2) {
        writeResponse(agentOut, side, t, model, {
          messageId: parentIds.at(-1)!,
          counted: false,
          wantTool: false,
        });
      }
      t = writeConversation(
        agentOut,
        side,
        t + 2000,
        (budget * (1 - mainShare)) / subagents,
        random() < 0.5 ? 'claude-haiku-4-5-20251001' : model,
        { progressTo: out },
      );
      closeOut(agentOut);
    }
    // Claude Code's own cumulative figure for the session (never counted as usage).
    if (isModern(version)) {
      out.push(
        JSON.stringify({ type: 'cost-state', sessionId, totalCostUSD: int(1, 5000) / 100, modelUsage: {} }),
        t,
      );
      totals.usageLines++;
    }
    closeOut(out);
    written = totals.bytes;
    if (recent.length > 0) project.recent = recent;
  }
  return totals;
}

/** A cache key for a tree's options: same options, same tree. */
export function treeKey(o: Omit<TreeOptions, 'root'>): string {
  return [
    o.targetBytes,
    o.days,
    o.projects,
    o.sessions,
    o.seed ?? 42,
    o.endDate ?? '2026-11-01',
    o.subagentRate ?? 0.3,
    'v2',
  ].join('-');
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      bytes: { type: 'string', default: String(100e6) },
      days: { type: 'string', default: '365' },
      projects: { type: 'string', default: '50' },
      sessions: { type: 'string', default: '4000' },
      seed: { type: 'string', default: '42' },
      'end-date': { type: 'string', default: '2026-11-01' },
    },
  });
  if (!values.out) {
    process.stderr.write(
      'usage: node bench/generate-tree.ts --out DIR [--bytes N] [--days N] [--projects N] [--sessions N] [--seed N]\n',
    );
    process.exit(2);
  }
  const started = performance.now();
  const totals = generateTree({
    root: values.out,
    targetBytes: Number(values.bytes),
    days: Number(values.days),
    projects: Number(values.projects),
    sessions: Number(values.sessions),
    seed: Number(values.seed),
    endDate: values['end-date'],
  });
  const { byDay: _byDay, ...summary } = totals;
  process.stdout.write(
    JSON.stringify({ ...summary, seconds: (performance.now() - started) / 1000 }, null, 2) + '\n',
  );
}
