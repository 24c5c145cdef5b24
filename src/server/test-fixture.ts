// Test helper: a temporary Claude dir with one transcript of realistic lines (near "now", so a 5-hour block is
// active), a data dir, and an append function that writes the next line like Claude Code does.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assistantLine } from '../../test/fixtures/fixture-lines.ts';

export interface LiveFixture {
  root: string;
  claudeDir: string;
  dataDir: string;
  transcript: string;
  /** Lines written so far (each one counted message). */
  count: number;
  tokensPerLine: number;
  append(n?: number): void;
  publishSite(): void;
  remove(): void;
}

export function liveFixture(initial = 5): LiveFixture {
  const root = mkdtempSync(join(tmpdir(), 'ctm-live-'));
  const claudeDir = join(root, 'claude');
  const dataDir = join(root, 'data');
  const project = join(claudeDir, 'projects', '-home-me-repo');
  mkdirSync(project, { recursive: true });
  const transcript = join(project, 'session-live.jsonl');
  writeFileSync(transcript, '');
  const fx: LiveFixture = {
    root,
    claudeDir,
    dataDir,
    transcript,
    count: 0,
    tokensPerLine: 100 + 20 + 1000,
    append(n = 1) {
      let text = '';
      for (let i = 0; i < n; i++) {
        text +=
          assistantLine({
            id: `msg_live_${fx.count}`,
            timestamp: new Date(Date.now() - 60_000 + fx.count).toISOString(),
            sessionId: 'session-live',
            input: 100,
            output: 20,
            cacheRead: 1000,
          }) + '\n';
        fx.count++;
      }
      appendFileSync(transcript, text);
    },
    publishSite() {
      const site = join(dataDir, 'site', 'current');
      mkdirSync(join(site, 'days'), { recursive: true });
      mkdirSync(join(site, '_astro'), { recursive: true });
      writeFileSync(
        join(site, 'index.html'),
        `<!doctype html><title>ctm</title><p>${'overview '.repeat(400)}</p>\n`,
      );
      writeFileSync(join(site, '404.html'), '<!doctype html><title>Not found</title><p>no such report</p>\n');
      writeFileSync(join(site, 'days', 'index.html'), '<!doctype html><title>Days</title>\n');
      writeFileSync(join(site, '_astro', 'app.abc123.js'), 'console.log(1);\n');
      writeFileSync(join(site, '.secret'), 'hidden\n');
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
  fx.append(initial);
  return fx;
}
