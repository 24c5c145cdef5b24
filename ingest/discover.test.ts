import { afterEach, describe, expect, it } from 'vitest';
import { lstatSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { discover, isTranscriptPath, projectOf } from './discover.ts';
import { agentFromPath, sessionFromPath } from './ingest-pass.ts';
import { assistantLine } from '../test/fixtures/fixture-lines.ts';
import { at, fixtureTree, tempDir, testIndex, type FixtureTree } from '../test/fixtures/fixture-tree.ts';

const trees: FixtureTree[] = [];
afterEach(() => trees.splice(0).forEach((t) => t.remove()));
const tree = (): FixtureTree => {
  const t = fixtureTree();
  trees.push(t);
  return t;
};

/** Every entry under a dir with its size and mtime, to prove nothing was written there. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const st = lstatSync(p);
      out.push(`${p} ${st.size} ${st.mtimeMs} ${st.mode}`);
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

describe('discover', () => {
  it('finds transcripts in every layout, project = first segment under projects/', () => {
    const t = tree();
    t.write('-home-me-repo/s1.jsonl', ['']);
    t.write('-home-me-repo/agent-a1.jsonl', ['']);
    t.write('-home-me-repo/s1/subagents/agent-a2.jsonl', ['']);
    t.write('C--Users-me-repo/s2.jsonl', ['']);
    t.write('-home-me-repo/notes.txt', 'x');
    t.write('-home-me-repo/s1.jsonl.bak', 'x');
    t.write('top.jsonl', ['']);
    const found = discover([t.claudeDir]);
    expect(found.files.map((f) => [f.path.slice(t.claudeDir.length + 10), f.project]).sort()).toEqual([
      ['-home-me-repo/agent-a1.jsonl', '-home-me-repo'],
      ['-home-me-repo/s1.jsonl', '-home-me-repo'],
      ['-home-me-repo/s1/subagents/agent-a2.jsonl', '-home-me-repo'],
      ['C--Users-me-repo/s2.jsonl', 'C--Users-me-repo'],
      ['top.jsonl', '(root)'],
    ]);
    expect(found.problems).toEqual({});
  });

  it("today's layouts: workflow subagents are found; journals and other .jsonl below a session are not", () => {
    const t = tree();
    t.write('p/s1.jsonl', ['']);
    t.write('p/s1/subagents/agent-a1.jsonl', ['']);
    t.write('p/s1/subagents/agent-a1.meta.json', '{"agentType":"Explore"}');
    t.write('p/s1/subagents/workflows/wf-1/agent-a2.jsonl', ['']);
    t.write('p/s1/subagents/workflows/wf-1/agent-a2.meta.json', '{"agentType":"general-purpose"}');
    t.write('p/s1/subagents/workflows/wf-1/journal.jsonl', ['{"type":"step","usage":{"input_tokens":9}}']);
    t.write('p/s1/subagents/workflows/wf-2/journal.jsonl', ['']);
    t.write('p/s1/notes.jsonl', ['']);
    t.write('p/s1/subagents/agent-a3.jsonl.tmp', 'x');
    // A journal that is a dangling symlink is not a transcript either: no broken_symlink problem.
    symlinkSync(join(t.root, 'nowhere'), t.path('p/s1/subagents/workflows/wf-1/old-journal.jsonl'));
    const found = discover([t.claudeDir]);
    expect(found.files.map((f) => [f.path.slice(t.claudeDir.length + 10), f.project]).sort()).toEqual([
      ['p/s1.jsonl', 'p'],
      ['p/s1/subagents/agent-a1.jsonl', 'p'],
      ['p/s1/subagents/workflows/wf-1/agent-a2.jsonl', 'p'],
    ]);
    expect(found.ignored).toBe(4);
    expect(found.problems).toEqual({});
  });

  it.each([
    ['top.jsonl', true],
    ['p/0b5c3f7e-uuid.jsonl', true],
    ['p/journal.jsonl', true],
    ['p/agent-a1.jsonl', true],
    ['p/s/subagents/agent-a1.jsonl', true],
    ['p/s/subagents/workflows/wf/agent-a1.jsonl', true],
    ['p/s/other/deeper/agent-a1.jsonl', true],
    ['p/s/subagents/workflows/wf/journal.jsonl', false],
    ['p/s/subagents/workflows/wf/agent-.jsonl', false],
    ['p/s/session.jsonl', false],
    ['p/s/subagents/agents.jsonl', false],
  ])('isTranscriptPath(%s) is %s', (rel, expected) => {
    expect(isTranscriptPath('/c/projects', join('/c/projects', rel))).toBe(expected);
  });

  it('several config dirs: each searched, one reached twice through a symlink is read once', () => {
    const a = tree();
    const b = tree();
    a.write('p/s.jsonl', ['']);
    b.write('q/s.jsonl', ['']);
    const alias = join(a.root, 'alias');
    symlinkSync(a.claudeDir, alias);
    const found = discover([a.claudeDir, b.claudeDir, alias, join(a.root, 'missing')]);
    expect(found.usableDirs).toEqual([a.claudeDir, b.claudeDir, alias]);
    expect(found.files.map((f) => f.project).sort()).toEqual(['p', 'q']);
  });

  it('symlinked project folders and files are followed once', () => {
    const t = tree();
    const outside = join(t.root, 'elsewhere');
    mkdirSync(outside);
    writeFileSync(join(outside, 's.jsonl'), '\n');
    symlinkSync(outside, t.path('linked-project'));
    const found = discover([t.claudeDir]);
    expect(found.files.map((f) => f.project)).toEqual(['linked-project']);
  });

  it('a symlinked transcript pointing outside the Claude dirs is skipped and counted, one inside is read', () => {
    const t = tree();
    const outside = join(t.root, 'secret.jsonl');
    writeFileSync(outside, '{"type":"assistant"}\n');
    t.write('p/s.jsonl', ['']);
    const escaping = t.path('p/x.jsonl');
    symlinkSync(outside, escaping);
    symlinkSync(t.path('p/s.jsonl'), t.path('q.jsonl')); // into the same Claude dir: read (once)
    const found = discover([t.claudeDir]);
    expect(found.files.map((f) => f.ino)).toEqual([lstatSync(t.path('p/s.jsonl')).ino]);
    expect(found.problems).toEqual({ symlink_outside_claude_dirs: 1 });
    expect(found.problemPaths).toEqual([{ path: escaping, reason: 'symlink_outside_claude_dirs' }]);
    // Through a projects/ that is itself a link to another disk, a link to a file there is inside.
    const moved = tree();
    const elsewhere = join(moved.root, 'disk', 'projects');
    mkdirSync(join(elsewhere, 'p'), { recursive: true });
    writeFileSync(join(elsewhere, 'p', 's.jsonl'), '\n');
    const claudeDir = join(moved.root, 'claude2');
    mkdirSync(claudeDir);
    symlinkSync(elsewhere, join(claudeDir, 'projects'));
    symlinkSync(join(elsewhere, 'p', 's.jsonl'), join(elsewhere, 'p', 'alias.jsonl'));
    const viaLink = discover([claudeDir]);
    expect(viaLink.files).toHaveLength(1);
    expect(viaLink.problems).toEqual({});
  });

  it('path helpers', () => {
    expect(projectOf('/c/projects', '/c/projects/-x/s.jsonl')).toBe('-x');
    expect(sessionFromPath('/c/projects/-x/abc.jsonl')).toBe('abc');
    expect(sessionFromPath('/c/projects/-x/abc/subagents/agent-9.jsonl')).toBe('abc');
    expect(sessionFromPath('/c/projects/-x/abc/subagents/workflows/wf1/agent-9.jsonl')).toBe('abc');
    expect(agentFromPath('/c/projects/-x/abc/subagents/agent-9f.jsonl')).toBe('9f');
    expect(agentFromPath('/c/projects/-x/abc.jsonl')).toBeNull();
  });
});

describe('the Claude dir is read-only to ctm', () => {
  it('a pass and watch mode create, change or lock nothing there', async () => {
    const t = tree();
    t.write('p/s.jsonl', [assistantLine({ id: 'a', timestamp: at(0) })]);
    writeFileSync(join(t.claudeDir, 'stats-cache.json'), '{}');
    const before = listing(t.claudeDir);
    const dataDir = tempDir();
    const index = testIndex([t.claudeDir], dataDir);
    index.ingester.pass();
    const stop = await index.ingester.watch(() => {});
    await stop();
    index.close();
    rmSync(dataDir, { recursive: true, force: true });
    expect(listing(t.claudeDir)).toEqual(before);
  });
});
