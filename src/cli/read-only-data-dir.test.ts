// A data dir ctm may read but not write (read-only media, another user's): `ctm report` and `ctm statusline`
// read the index all the same, `ctm build` says so in one line, before it built anything and after an earlier
// build left its directories. The real CLI in child processes; root writes anywhere whatever the modes, so as root the
// commands run as "nobody".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { assistantLine } from '../../test/fixtures/fixture-lines.ts';
import { at, fixtureTree, type FixtureTree } from '../../test/fixtures/fixture-tree.ts';
import { ctmBin, node24, repoRoot, runCtm } from '../../test/fixtures/run-ctm.ts';

const asRoot = process.getuid?.() === 0;
const trees: FixtureTree[] = [];
afterAll(() => {
  for (const t of trees) {
    chmodTree(join(t.root, 'data'), 0o755, 0o644);
    t.remove();
  }
});

/** Sets the modes of dir and of everything inside it, never through a symlink: the build links
 * site/node_modules to the repo's own, whose modes must stay as they are. */
function chmodTree(dir: string, dirMode: number, fileMode: number): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) chmodTree(path, dirMode, fileMode);
    else if (entry.isFile()) chmodSync(path, fileMode);
  }
  chmodSync(dir, dirMode);
}

function dataDir(build: boolean): { t: FixtureTree; env: Record<string, string> } {
  const t = fixtureTree();
  trees.push(t);
  t.write('p/s.jsonl', [
    assistantLine({ id: 'a', timestamp: at(0), input: 100, output: 20 }),
    assistantLine({ id: 'b', timestamp: at(3600), input: 50, output: 5 }),
  ]);
  const env = {
    HOME: t.root,
    CTM_CLAUDE_DIR: t.claudeDir,
    CTM_DATA_DIR: join(t.root, 'data'),
    CTM_TZ: 'UTC',
  };
  expect(runCtm(['ingest', '--once'], env).code).toBe(0);
  if (build) expect(runCtm(['build'], env).code).toBe(0);
  chmodSync(t.root, 0o755);
  chmodTree(join(t.root, 'data'), 0o555, 0o444);
  return { t, env };
}

/** The CLI as a user without write access to the data dir. */
function ctmReadOnly(args: string[], env: Record<string, string>) {
  const r = spawnSync(node24, [ctmBin, ...args], {
    env: { PATH: process.env.PATH, TZ: 'UTC', CTM_LOG_LEVEL: 'warn', ...env },
    cwd: repoRoot,
    encoding: 'utf8',
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('a data dir that cannot be written', () => {
  let fresh: ReturnType<typeof dataDir>;
  let built: ReturnType<typeof dataDir>;
  beforeAll(() => {
    fresh = dataDir(false);
    built = dataDir(true);
  }, 120_000);

  it('ctm report reads the index, with the same figures, and leaves nothing beside it', () => {
    const r = ctmReadOnly(['report', 'daily', '--json'], fresh.env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const totals = JSON.parse(r.stdout).totals;
    expect({ input: totals.inputTokens, output: totals.outputTokens }).toEqual({ input: 150, output: 25 });
    expect(readdirSync(join(fresh.t.root, 'data'))).toEqual(['ctm.db']);
  });

  it('ctm statusline reads the index as immutable, with the figures and no note about it', () => {
    const r = ctmReadOnly(['statusline', '--format', 'today'], fresh.env);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^today \$[\d.]+ · ctm: no status input on stdin\n$/);
    expect(readdirSync(join(fresh.t.root, 'data'))).toEqual(['ctm.db']);
  });

  it('ctm build fails in one line naming the data dir, before a first build and after one', () => {
    for (const { t, env } of [fresh, built]) {
      const r = ctmReadOnly(['build'], env);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        new RegExp(
          `^ctm: CTM_DATA_DIR: data dir ${join(t.root, 'data')} is not writable \\((EACCES|EROFS)[^\\n]*\\)\\n$`,
        ),
      );
    }
  });
});
