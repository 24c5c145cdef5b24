// Memory stays bounded whatever the input: a pass over a transcript of 50 MB usage lines keeps its peak
// resident size far below the 250 MB a cold ingest may use (each line is kept as head + tail, and the
// rolling tail allocates nothing per chunk). Measured in a child process, which reports its own peak.
import { afterAll, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assistantLine } from '../test/fixtures/fixture-lines.ts';
import { fixtureTree, tempDir } from '../test/fixtures/fixture-tree.ts';

const root = tempDir();
const tree = fixtureTree(root);
afterAll(() => tree.remove());

it('50 MB usage lines are counted within a bounded peak RSS', () => {
  const lines = [0, 1, 2].map((i) =>
    assistantLine({
      id: `big${i}`,
      timestamp: '2026-10-01T10:00:00Z',
      text: 'y'.repeat(50e6),
      output: 100 + i,
    }),
  );
  tree.write('p/s1.jsonl', lines);
  const script = join(root, 'pass.ts');
  const ingest = new URL('.', import.meta.url).pathname;
  writeFileSync(
    script,
    `import { openDb } from '${ingest}../src/db/open.ts';
import { createMessageStore } from '${ingest}message-store.ts';
import { runPass } from '${ingest}ingest-pass.ts';
import { loadPricing } from '${ingest}../src/pricing/load-pricing.ts';
const db = openDb('${join(root, 'ctm.db')}');
const store = createMessageStore(db, { timezone: 'UTC', pricing: loadPricing() });
const s = runPass({ claudeDirs: ['${tree.claudeDir}'], store, parallelBytes: 0 });
const out = db.prepare('SELECT sum(output_tokens) FROM messages').pluck().get();
console.log(JSON.stringify({ messages: s.newMessages, out, skipped: s.skipped, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
`,
  );
  const child = spawnSync(process.execPath, [script], { encoding: 'utf8' });
  expect(child.stderr).toBe('');
  const result = JSON.parse(child.stdout) as {
    messages: number;
    out: number;
    skipped: object;
    maxRssMb: number;
  };
  expect(result).toMatchObject({ messages: 3, out: 303, skipped: {} });
  expect(result.maxRssMb).toBeLessThan(200);
}, 60_000);
