// The site build's progress lines while it renders: the page count as it starts, then at most one line a second
// with the pages written so far.
import { describe, expect, it } from 'vitest';
import type { LogFields, Logger } from '../../log.ts';
import { renderProgress } from './build-site.ts';

function capture(): Logger & { lines: [string, LogFields | undefined][] } {
  const lines: [string, LogFields | undefined][] = [];
  const add = (msg: string, fields?: LogFields) => void lines.push([msg, fields]);
  return { lines, debug: add, info: add, warn: add, error: add };
}

describe('renderProgress', () => {
  it('says how many pages at once, then the pages written at most once a second', () => {
    const log = capture();
    let t = 0;
    const update = renderProgress(log, 559, () => t);
    expect(log.lines).toEqual([['rendering pages', { pages: 559 }]]);
    t = 400;
    update(100);
    expect(log.lines).toHaveLength(1);
    t = 1000;
    update(280);
    t = 1900;
    update(400);
    t = 2000;
    update(559);
    expect(log.lines.slice(1)).toEqual([
      ['rendering pages', { percent: 50, written: 280, pages: 559 }],
      ['rendering pages', { percent: 100, written: 559, pages: 559 }],
    ]);
  });
});
