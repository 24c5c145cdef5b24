import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../src/db/open.ts';
import { assistantLine } from '../test/fixtures/fixture-lines.ts';
import {
  at,
  fixtureTree,
  tempDir,
  testIndex,
  usageRows,
  type FixtureTree,
} from '../test/fixtures/fixture-tree.ts';
import { createSubagentMetaIndex, subagentSession } from './subagent-meta.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function setup() {
  const root = tempDir();
  const tree = fixtureTree(root);
  const index = testIndex([tree.claudeDir], join(root, 'data'));
  cleanups.push(() => {
    index.close();
    tree.remove();
  });
  return { tree, ...index };
}

const subagents = (db: Db) =>
  db
    .prepare(
      `SELECT session_id AS sessionId, agent_id AS agentId, agent_type AS agentType, description
       FROM subagents ORDER BY session_id, agent_id`,
    )
    .all();

const sub = (id: string, agentId: string, sessionId = 'sess') =>
  assistantLine({ id, timestamp: at(0), isSidechain: true, agentId, sessionId, input: 100, output: 10 });

/** Today's layouts of one session: subagents/, a workflow with its journal, and an older agent beside it. */
function writeSession(tree: FixtureTree): void {
  tree.write('p/sess.jsonl', [assistantLine({ id: 'main', timestamp: at(0), sessionId: 'sess' })]);
  tree.write('p/sess/subagents/agent-a1.jsonl', [sub('m1', 'a1')]);
  tree.write('p/sess/subagents/agent-a1.meta.json', '{"agentType":"Explore"}');
  tree.write('p/sess/subagents/workflows/wf-1/agent-a2.jsonl', [sub('m2', 'a2')]);
  tree.write(
    'p/sess/subagents/workflows/wf-1/agent-a2.meta.json',
    '{"agentType":"code-reviewer","description":"Review the diff"}',
  );
  tree.write('p/sess/subagents/workflows/wf-1/journal.jsonl', [
    JSON.stringify({ type: 'step', agentId: 'a2', usage: { input_tokens: 999_999 } }),
    assistantLine({ id: 'journal-copy', timestamp: at(0), sessionId: 'sess', input: 999_999 }),
  ]);
  tree.write('p/agent-a3.jsonl', [sub('m3', 'a3', 'sess')]);
  tree.write('p/agent-a3.meta.json', '{"agentType":"general-purpose"}');
}

describe('subagents of today through a pass', () => {
  it('transcripts of every layout count, the journal does not; each meta file gives its agent a type', () => {
    const { tree, db, ingester } = setup();
    writeSession(tree);
    const s = ingester.pass();
    expect(s.filesScanned).toBe(4);
    expect(s.skipped).toEqual({});
    expect(usageRows(db).map((r) => [r.key, r.sessionId, r.agentId, r.input])).toEqual([
      ['m1', 'sess', 'a1', 100],
      ['m2', 'sess', 'a2', 100],
      ['m3', 'sess', 'a3', 100],
      ['main', 'sess', null, 10],
    ]);
    expect(subagents(db)).toEqual([
      { sessionId: 'sess', agentId: 'a1', agentType: 'Explore', description: null },
      { sessionId: 'sess', agentId: 'a2', agentType: 'code-reviewer', description: 'Review the diff' },
      { sessionId: 'sess', agentId: 'a3', agentType: 'general-purpose', description: null },
    ]);
  });

  it('a malformed meta file is skipped and counted once, located; its last good row stays', () => {
    const { tree, db, ingester } = setup();
    writeSession(tree);
    ingester.pass();
    const bad = tree.write('p/sess/subagents/agent-a1.meta.json', '{"agentType": 7}');
    tree.write('p/sess/subagents/workflows/wf-1/agent-a2.meta.json', '{"agentType": "x"');
    tree.write('p/agent-a3.meta.json', '["general-purpose"]');
    const s = ingester.pass();
    expect(s.skipped).toEqual({ malformed_subagent_meta: 3 });
    expect(s.skippedExamples).toContain(`${bad} (malformed_subagent_meta)`);
    expect(subagents(db).map((r) => (r as { agentType: string }).agentType)).toEqual([
      'Explore',
      'code-reviewer',
      'general-purpose',
    ]);
    // Unchanged since: not read or counted again.
    expect(ingester.pass().skipped).toEqual({});
    tree.write('p/sess/subagents/agent-a1.meta.json', '{"agentType":"Plan","description":"Plan it"}');
    expect(ingester.pass().skipped).toEqual({});
    expect(subagents(db)[0]).toEqual({
      sessionId: 'sess',
      agentId: 'a1',
      agentType: 'Plan',
      description: 'Plan it',
    });
  });

  it('watch mode: the meta beside a changed agent transcript is indexed; a journal changes nothing', () => {
    const { tree, db, ingester } = setup();
    tree.write('p/sess.jsonl', [assistantLine({ id: 'main', timestamp: at(0), sessionId: 'sess' })]);
    ingester.pass();
    const journal = tree.write('p/sess/subagents/workflows/wf-9/journal.jsonl', ['{"type":"step"}']);
    expect(ingester.pass(new Set([journal])).filesRead).toBe(0);
    tree.write('p/sess/subagents/workflows/wf-9/agent-a9.meta.json', '{"agentType":"Explore"}');
    const agent = tree.write('p/sess/subagents/workflows/wf-9/agent-a9.jsonl', [sub('m9', 'a9')]);
    ingester.pass(new Set([agent, journal]));
    expect(subagents(db)).toEqual([
      { sessionId: 'sess', agentId: 'a9', agentType: 'Explore', description: null },
    ]);
  });
});

describe('createSubagentMetaIndex', () => {
  it('reads a meta file only when its size, mtime or inode changed; a missing one is looked for again', () => {
    const { tree, db, ingester } = setup();
    writeSession(tree);
    ingester.pass(); // the files rows the index works from
    // A whole-second mtime, so putting it back below restores it exactly.
    const path = tree.path('p/sess/subagents/agent-a1.meta.json');
    const mtime = new Date('2026-03-01T10:00:00Z');
    utimesSync(path, mtime, mtime);
    const meta = createSubagentMetaIndex(db);
    expect(meta.index()).toEqual({ indexed: 3, malformed: [] });
    expect(meta.index()).toEqual({ indexed: 0, malformed: [] });
    // Same size, mtime put back: not read, so the stored type stays as it was.
    writeFileSync(path, '{"agentType":"Exploit"}');
    utimesSync(path, mtime, mtime);
    expect(meta.index()).toEqual({ indexed: 0, malformed: [] });
    expect((subagents(db)[0] as { agentType: string }).agentType).toBe('Explore');
    utimesSync(path, mtime, new Date(mtime.getTime() + 1000));
    expect(meta.index()).toEqual({ indexed: 1, malformed: [] });
    expect((subagents(db)[0] as { agentType: string }).agentType).toBe('Exploit');
    // A transcript whose meta does not exist yet gets it on a later look.
    tree.write('p/sess/subagents/agent-a4.jsonl', [sub('m4', 'a4')]);
    ingester.pass();
    expect(meta.index()).toEqual({ indexed: 0, malformed: [] });
    tree.write('p/sess/subagents/agent-a4.meta.json', '{"agentType":"Explore"}');
    expect(meta.index()).toEqual({ indexed: 1, malformed: [] });
  });

  it('a transcript gone from disk (missing_since set) is not looked at; its row stays', () => {
    const { tree, db, ingester } = setup();
    writeSession(tree);
    ingester.pass();
    tree.remove();
    const meta = createSubagentMetaIndex(db);
    db.prepare('UPDATE files SET missing_since = 1').run();
    expect(meta.index()).toEqual({ indexed: 0, malformed: [] });
    expect(subagents(db)).toHaveLength(3);
  });
});

describe('subagentSession', () => {
  let tree: FixtureTree;
  beforeAll(() => {
    tree = fixtureTree();
  });
  afterAll(() => tree.remove());
  it.each([
    ['p/s1/subagents/agent-a.jsonl', 's1'],
    ['p/s1/subagents/workflows/wf/agent-a.jsonl', 's1'],
    ['p/s1/elsewhere/deeper/agent-a.jsonl', 's1'],
  ])('%s belongs to %s by its path', (rel, session) => {
    expect(subagentSession(tree.claudeDir, tree.path(rel))).toBe(session);
  });

  it('beside its session: the sessionId of its first line, or none', () => {
    const withId = tree.write('p/agent-b.jsonl', [sub('x', 'b', 'parent-7')]);
    const spaced = tree.write('p/agent-c.jsonl', ['{"type": "user", "sessionId" : "parent-8"}']);
    const without = tree.write('p/agent-d.jsonl', ['{"type":"user"}']);
    expect(subagentSession(tree.claudeDir, withId)).toBe('parent-7');
    expect(subagentSession(tree.claudeDir, spaced)).toBe('parent-8');
    expect(subagentSession(tree.claudeDir, without)).toBeNull();
    expect(subagentSession(tree.claudeDir, tree.path('p/agent-gone.jsonl'))).toBeNull();
  });
});
