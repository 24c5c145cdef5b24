// Opening under concurrent openers: several processes opening one fresh data dir at the same instant (two
// `ctm ingest --once`, or `ctm start` beside one) must each end with the full schema, none failing on the WAL
// switch or on a migration step another one applied first.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { node24 } from '../../test/fixtures/run-ctm.ts';
import { loadMigrations } from './migrate.ts';

const dir = mkdtempSync(join(tmpdir(), 'ctm-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const openUrl = new URL('./open.ts', import.meta.url).href;
// Each child loads the code first and says so, then opens the database when told to: the opens themselves
// start within a millisecond or two of each other, not a Node start-up apart.
const child = `
  const { openDb } = await import(${JSON.stringify(openUrl)});
  process.stdout.write('ready\\n');
  process.stdin.once('data', () => {
    try {
      const db = openDb(process.argv[1]);
      process.stdout.write('version ' + db.pragma('user_version', { simple: true }) + '\\n');
      db.close();
    } catch (error) {
      process.stdout.write('error ' + error.message + '\\n');
      process.exitCode = 1;
    }
    process.stdin.destroy();
  });
`;

interface Outcome {
  code: number | null;
  out: string;
}

/** Starts `n` processes, releases them together onto the same database and collects what each said. */
async function openTogether(path: string, n: number): Promise<Outcome[]> {
  const children = Array.from({ length: n }, () =>
    spawn(node24, ['--input-type=module', '-e', child, path], { stdio: ['pipe', 'pipe', 'inherit'] }),
  );
  const outputs = children.map(() => '');
  const ready = children.map(
    (c, i) =>
      new Promise<void>((resolve) => {
        c.stdout.on('data', (chunk: Buffer) => {
          outputs[i] += chunk.toString();
          if (outputs[i]!.startsWith('ready\n')) resolve();
        });
      }),
  );
  const exits = children.map((c) => new Promise<number | null>((resolve) => c.on('close', resolve)));
  await Promise.all(ready);
  for (const c of children) c.stdin.write('go\n');
  const codes = await Promise.all(exits);
  return codes.map((code, i) => ({ code, out: outputs[i]!.slice('ready\n'.length).trim() }));
}

describe('migrate under concurrent openers', () => {
  it('every process opening a fresh database at once gets the full schema', async () => {
    const latest = loadMigrations().at(-1)!.version;
    const rounds = 15;
    const failures: string[] = [];
    for (let round = 0; round < rounds; round++) {
      const outcomes = await openTogether(join(dir, `fresh-${round}`, 'ctm.db'), 4);
      for (const o of outcomes) if (o.code !== 0 || o.out !== `version ${latest}`) failures.push(o.out);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
