// Names in transcripts reach the terminal as text, never as control sequences: a model name or line type
// made of escapes cannot retitle the window, recolour the screen or clear it.
import { afterAll, expect, it } from 'vitest';
import { assistantLine } from '../../test/fixtures/fixture-lines.ts';
import { fixtureTree } from '../../test/fixtures/fixture-tree.ts';
import { runCtm } from '../../test/fixtures/run-ctm.ts';

const tree = fixtureTree();
afterAll(() => tree.remove());
const env = {
  HOME: tree.root,
  CTM_CLAUDE_DIR: tree.claudeDir,
  CTM_DATA_DIR: `${tree.root}/data`,
  CTM_TZ: 'UTC',
};
const hostile = '\u001b]0;pwned\u0007\u001b[2J\u001b[31mclaude-opus-4-5\u001b[0m';

it('ingest, report and watch show control characters in names as escapes', () => {
  tree.write('p/s1.jsonl', [
    assistantLine({ id: 'm1', timestamp: new Date().toISOString(), model: hostile, input: 10, output: 5 }),
    // Raw in the bytes (a JSON string may not hold it, but the type is read from the bytes, unparsed).
    '{"type":"\u001b[2Jstrange","uuid":"u"}',
  ]);
  const outputs = [
    runCtm(['ingest', '--once'], env),
    runCtm(['report', 'daily', '--breakdown'], env),
    runCtm(['report', 'session'], env),
    runCtm(['watch', '--once'], env),
    runCtm(['prices'], env),
  ];
  for (const r of outputs) {
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  }
  expect(outputs[0]!.stdout).toContain('\\x1b[2Jstrange 1');
  expect(outputs[1]!.stdout).toContain('\\x1b[31mclaude-opus-4-5');
  // JSON stays exact: the name as the transcript has it.
  const json = JSON.parse(runCtm(['report', 'daily', '--json'], env).stdout);
  expect(json.daily[0].modelsUsed).toContain(hostile);
});
