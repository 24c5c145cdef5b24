import { describe, expect, it } from 'vitest';
import type { PassProgress } from '../ingest/ingest-pass.ts';
import type { LogFields, Logger } from './log.ts';
import {
  createProgressReport,
  createTerminalBar,
  progressBar,
  progressFigures,
  progressPercent,
} from './progress-report.ts';

const MB = 1024 * 1024;
const at = (filesDone: number, bytesDone: number, newMessages = 0): PassProgress => ({
  files: 492,
  filesDone,
  bytes: 104 * MB,
  bytesDone,
  newMessages,
});

function recorder() {
  const lines: [string, LogFields | undefined][] = [];
  const log: Logger = {
    debug() {},
    info: (msg, fields) => lines.push([msg, fields]),
    warn() {},
    error() {},
  };
  return { log, lines };
}

describe('progress report', () => {
  it.each([
    [at(0, 0), 0],
    [at(246, 52 * MB), 50],
    [at(492, 104 * MB), 100],
    [{ files: 4, filesDone: 1, bytes: 0, bytesDone: 0, newMessages: 0 }, 25],
    [{ files: 0, filesDone: 0, bytes: 0, bytesDone: 0, newMessages: 0 }, 100],
  ])('%j is %i %%', (p, percent) => {
    expect(progressPercent(p)).toBe(percent);
  });

  it('figures and bar', () => {
    expect(progressFigures(at(256, 54 * MB, 3212))).toBe(
      '256/492 files, 54 MB of 104 MB, 3,212 new messages',
    );
    expect(progressBar(50, 10)).toBe('█████░░░░░');
    expect(progressBar(120, 4)).toBe('████');
  });

  it('log lines: none in the first second, then at most one a second; JSON ones carry the figures', () => {
    let t = 0;
    const { log, lines } = recorder();
    const report = createProgressReport({ log, json: true, now: () => t });
    for (t = 0; t <= 2500; t += 100) report.update(at(t / 10, (t / 2500) * 104 * MB));
    expect(lines.map(([msg]) => msg)).toEqual(['reading transcripts', 'reading transcripts']);
    expect(lines[0]![1]).toEqual({
      percent: 40,
      filesDone: 100,
      files: 492,
      bytesDone: 0.4 * 104 * MB,
      bytes: 104 * MB,
      newMessages: 0,
    });
  });

  it('on a terminal without a bar (ctm start): a line with the percentage', () => {
    let t = 0;
    const { log, lines } = recorder();
    const report = createProgressReport({ log, json: false, now: () => t });
    t = 1000;
    report.update(at(246, 52 * MB, 10));
    expect(lines).toEqual([
      ['reading transcripts: 50% — 246/492 files, 52 MB of 104 MB, 10 new messages', undefined],
    ]);
  });

  it('a bar: drawn at once, redrawn at most every 100 ms, cleared at the end, cut to the terminal', () => {
    let t = 0;
    const out: string[] = [];
    const bar = createTerminalBar({ write: (s) => out.push(s), columns: 60 });
    const { log, lines } = recorder();
    const report = createProgressReport({ log, json: false, bar, now: () => t });
    report.update(at(0, 0));
    t = 50;
    report.update(at(10, MB));
    t = 120;
    report.update(at(246, 52 * MB));
    report.done();
    expect(lines).toEqual([]);
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/^\r\x1b\[Kreading transcripts ░{24}   0%  0\/492/);
    expect(out[1]).toMatch(/^\r\x1b\[Kreading transcripts █{12}░{12}  50%  246\/492/);
    expect(out[1]!.length - '\r\x1b[K'.length).toBe(59);
    expect(out[2]).toBe('\r\x1b[K');
    // Nothing drawn, nothing to clear.
    const quiet: string[] = [];
    createTerminalBar({ write: (s) => quiet.push(s) }).clear();
    expect(quiet).toEqual([]);
  });
});
