// An agent pushing its real index to a real hub over HTTP (the hub's receiver and writer thread, on a free
// port): the whole history in batches, then only what changed, resumed from the cursor after the hub was down,
// a reused rowid caught by the rewind trigger, and a refused token stopping the push without moving the cursor.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { at, fixtureTree, tempDir, testIndex } from '../../test/fixtures/fixture-tree.ts';
import { advisorIteration, assistantLine } from '../../test/fixtures/fixture-lines.ts';
import { loadConfig } from '../config.ts';
import { openDb, type Db } from '../db/open.ts';
import { silentLogger } from '../log.ts';
import { startHub, type RunningHub } from '../hub/start-hub.ts';
import { logsEndpoint } from './push-client.ts';
import { cursorState } from '../../test/fixtures/cursor-state.ts';
import { pushPending, PushRefused, PushUnavailable, type PushOptions } from './push-agent.ts';

const TOKEN = 'agent-token-0123456789abcdef';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function hubConfig(port = 0) {
  const dir = tempDir();
  writeFileSync(join(dir, 'tokens'), `laptop ${TOKEN}\n`);
  const env = { CTM_DATA_DIR: join(dir, 'data'), CTM_TZ: 'UTC', CTM_INGEST_TOKENS: join(dir, 'tokens') };
  return { ...loadConfig(env, {}, dir), otlpPort: port };
}

async function hub(config = hubConfig()): Promise<RunningHub & { keys(): string[]; config: typeof config }> {
  const running = await startHub({ config, log: silentLogger, onCommit: () => {} });
  return {
    ...running,
    config,
    keys() {
      // Nothing accepted yet and the writer still starting: no index at all, or one still being migrated.
      if (!existsSync(config.dbPath)) return [];
      const db = openDb(config.dbPath, { readonly: true });
      try {
        const made = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'usage'`).get();
        if (!made) return [];
        return db
          .prepare(`SELECT key || ':' || output_tokens FROM usage ORDER BY key`)
          .pluck()
          .all() as string[];
      } finally {
        db.close();
      }
    },
  };
}

const line = (id: string, minutes: number, extra: Partial<Parameters<typeof assistantLine>[0]> = {}) =>
  assistantLine({ id, timestamp: at(minutes), sessionId: 's1', input: 10 + minutes, output: 5, ...extra });

function agentIndex() {
  const tree = fixtureTree();
  const index = testIndex([tree.claudeDir], tempDir());
  cleanups.push(
    () => tree.remove(),
    () => index.close(),
  );
  return { tree, index };
}

const localKeys = (db: Db) =>
  db.prepare(`SELECT key || ':' || output_tokens FROM usage ORDER BY key`).pluck().all() as string[];

function options(db: Db, url: string, extra: Partial<PushOptions> = {}): PushOptions {
  return {
    db,
    url,
    token: TOKEN,
    identity: { machine: 'laptop', user: 'ana' },
    batch: 2,
    log: silentLogger,
    sleep: () => Promise.resolve(),
    ...extra,
  };
}

describe('push agent', () => {
  it('sends the whole history in batches, then only new and updated rows', async () => {
    const h = await hub();
    cleanups.push(() => h.close());
    const { tree, index } = agentIndex();
    tree.write(
      'p/s1.jsonl',
      [1, 2, 3, 4, 5].map((m) => line(`m${m}`, m)),
    );
    index.ingester.pass();
    const first = await pushPending(options(index.db, h.url));
    expect(first).toMatchObject({ sent: 5, requests: 3, rejected: 0 });
    expect(h.keys()).toEqual(localKeys(index.db));
    expect(await pushPending(options(index.db, h.url))).toMatchObject({ sent: 0, requests: 0 });
    tree.append('p/s1.jsonl', [line('m5', 5, { output: 50 }), line('m6', 6)]);
    index.ingester.pass();
    expect(await pushPending(options(index.db, h.url))).toMatchObject({ sent: 2, requests: 1 });
    expect(h.keys()).toEqual(localKeys(index.db));
    expect(cursorState(index.db, logsEndpoint(h.url))).toMatchObject({ pushed: 7, lastError: null });
  });

  it('resends rows whose rowid a deleted row let be reused (the rewind trigger)', async () => {
    const h = await hub();
    cleanups.push(() => h.close());
    const { tree, index } = agentIndex();
    const advised = (output: number) =>
      line('m1', 1, { output, iterations: [advisorIteration('claude-fable-5-1', 40, output)] });
    tree.write('p/s1.jsonl', [advised(5)]);
    index.ingester.pass();
    await pushPending(options(index.db, h.url));
    const before = index.db.prepare('SELECT rowid FROM messages WHERE key = ?').pluck();
    const parentRowid = before.get('m1') as number;
    // The bigger copy replaces m1: its advisor row (the highest rowid) is deleted first, so the new m1 takes
    // that rowid, at or below the cursor.
    tree.append('p/s1.jsonl', [advised(60)]);
    index.ingester.pass();
    expect(before.get('m1')).toBeLessThanOrEqual(cursorState(index.db, logsEndpoint(h.url))!.afterRowid);
    expect(before.get('m1')).not.toBe(parentRowid);
    expect(index.db.prepare('SELECT rewind_rowid FROM push_cursors').pluck().get()).not.toBeNull();
    await pushPending(options(index.db, h.url));
    expect(h.keys()).toEqual(['m1:60', 'm1:advisor:0:60']);
    expect(h.keys()).toEqual(localKeys(index.db));
  });

  it('keeps its cursor while the hub is down and catches up once it is back', async () => {
    const h = await hub();
    const { port } = h.server.address() as { port: number };
    const { tree, index } = agentIndex();
    tree.write('p/s1.jsonl', [line('m1', 1)]);
    index.ingester.pass();
    await pushPending(options(index.db, h.url));
    await h.close();
    tree.append('p/s1.jsonl', [line('m2', 2), line('m3', 3)]);
    index.ingester.pass();
    const waits: number[] = [];
    const down = pushPending(
      options(index.db, h.url, { maxAttempts: 4, sleep: async (ms) => void waits.push(ms), random: () => 1 }),
    );
    await expect(down).rejects.toThrow(PushUnavailable);
    // Capped exponential backoff (the jitter drawn at its bound here).
    expect(waits).toEqual([500, 1000, 2000]);
    const state = cursorState(index.db, logsEndpoint(h.url))!;
    expect(state.pushed).toBe(1);
    expect(state.lastError).toMatch(/ECONNREFUSED/);
    const again = await hub({ ...h.config, otlpPort: port });
    cleanups.push(() => again.close());
    expect(again.url).toBe(`http://127.0.0.1:${port}`);
    expect(await pushPending(options(index.db, again.url))).toMatchObject({ sent: 2 });
    expect(again.keys()).toEqual(localKeys(index.db));
    expect(cursorState(index.db, logsEndpoint(h.url))).toMatchObject({ pushed: 3, lastError: null });
  });

  it('stops at a refusal without moving its cursor', async () => {
    const h = await hub();
    cleanups.push(() => h.close());
    const { tree, index } = agentIndex();
    tree.write('p/s1.jsonl', [line('m1', 1)]);
    index.ingester.pass();
    const bad = pushPending(options(index.db, h.url, { token: 'wrong-token-0123456789abcdef' }));
    await expect(bad).rejects.toThrow(PushRefused);
    await expect(bad).rejects.toMatchObject({ status: 401 });
    const otherMachine = pushPending(
      options(index.db, h.url, { identity: { machine: 'desk', user: 'ana' } }),
    );
    await expect(otherMachine).rejects.toMatchObject({ status: 403 });
    expect(cursorState(index.db, logsEndpoint(h.url))).toMatchObject({ afterRowid: 0, pushed: 0 });
    expect(h.keys()).toEqual([]);
  });
});
