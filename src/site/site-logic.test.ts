// The report site's pure pieces: relative links for snapshots, session months, request roll-ups, the local
// time formatting every page uses and the archive's index.
import { describe, expect, it } from 'vitest';
import { relativeLinks } from './relative-links.ts';
import { recentSessions, sessionMonths, sessionsStartedIn } from './session-months.ts';
import { rollupRequests } from './rollup-requests.ts';
import {
  addDays,
  daysBetween,
  formatDateTime,
  formatDay,
  formatDuration,
  lastDayOfMonth,
  localDay,
  projectName,
  weekStart,
} from '../format/local-format.ts';
import { archiveIndex } from './archive/archive-index.ts';

describe('relativeLinks', () => {
  const html =
    '<link rel="stylesheet" href="/_astro/a.css"><script type="module" src="/_astro/c.js"></script>' +
    '<a href="/">home</a><a href="/days/2026-03-02/#x">day</a><a href="https://example.com/">ext</a><a href="//cdn/x">cdn</a>';
  it('rewrites root links relative to the page, directories to index.html', () => {
    expect(relativeLinks(html, 'days/2026-03-02/index.html')).toBe(
      '<link rel="stylesheet" href="../../_astro/a.css"><script defer src="../../_astro/c.js"></script>' +
        '<a href="../../index.html">home</a><a href="../../days/2026-03-02/index.html#x">day</a><a href="https://example.com/">ext</a><a href="//cdn/x">cdn</a>',
    );
    expect(relativeLinks('<a href="/models/">m</a>', 'index.html')).toBe(
      '<a href="./models/index.html">m</a>',
    );
  });
});

describe('session months', () => {
  const starts = [
    {
      sessionId: 'a',
      firstTs: Date.parse('2026-02-28T23:30:00Z'),
      lastTs: Date.parse('2026-03-01T02:00:00Z'),
    },
    {
      sessionId: 'b',
      firstTs: Date.parse('2026-03-05T10:00:00Z'),
      lastTs: Date.parse('2026-03-05T11:00:00Z'),
    },
    {
      sessionId: 'c',
      firstTs: Date.parse('2026-03-06T10:00:00Z'),
      lastTs: Date.parse('2026-03-06T10:30:00Z'),
    },
  ];
  it('files a session under the local month it started in', () => {
    expect(sessionMonths(starts, 'UTC')).toEqual([
      { month: '2026-03', sessions: 2 },
      { month: '2026-02', sessions: 1 },
    ]);
    expect(sessionMonths(starts, 'Europe/Berlin')[0]).toEqual({ month: '2026-03', sessions: 3 });
    expect(sessionsStartedIn(starts, 'UTC', '2026-02')).toEqual(['a']);
    expect(recentSessions(starts, 2)).toEqual(['c', 'b']);
  });
});

describe('rollupRequests', () => {
  it('sums requests per model and per thread', () => {
    const r = (
      model: string,
      agentId: string | null,
      totalTokens: number,
      cost: number | null,
      ts: number,
    ) => ({
      ts,
      model,
      agentId,
      inputTokens: totalTokens,
      outputTokens: 0,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
      cacheReadTokens: 0,
      totalTokens,
      thinkingTokens: 0,
      webSearchRequests: 1,
      webFetchRequests: 0,
      cost,
    });
    const rows = [r('a', null, 10, 1, 1), r('b', 'x', 5, null, 2), r('a', 'x', 1, 0.5, 3)];
    const day = () => '2026-03-02';
    expect(
      rollupRequests(rows, 'model', day).map((g) => [
        g.key,
        g.messages,
        g.totalTokens,
        g.cost,
        g.unpricedMessages,
        g.webSearchRequests,
      ]),
    ).toEqual([
      ['a', 2, 11, 1.5, 0, 2],
      ['b', 1, 5, 0, 1, 1],
    ]);
    expect(rollupRequests(rows, 'agent', day).map((g) => [g.key, g.messages])).toEqual([
      ['', 1],
      ['x', 2],
    ]);
  });
});

describe('local formatting', () => {
  it('formats instants in the configured timezone, across DST', () => {
    const ts = Date.parse('2026-03-29T00:59:00Z');
    expect(formatDateTime(ts, 'UTC')).toBe('2026-03-29 00:59');
    expect(formatDateTime(ts, 'Europe/Berlin')).toBe('2026-03-29 01:59');
    expect(formatDateTime(ts + 60_000, 'Europe/Berlin')).toBe('2026-03-29 03:00');
    expect(formatDateTime(Date.parse('2026-07-01T12:00:00Z'), 'Asia/Kolkata')).toBe('2026-07-01 17:30');
    expect(localDay(Date.parse('2026-03-01T02:00:00Z'), 'America/New_York')).toBe('2026-02-28');
  });
  it('does calendar arithmetic on day keys', () => {
    expect(formatDay('2026-03-02')).toBe('Mon 2 Mar 2026');
    expect(weekStart('2026-03-08')).toBe('2026-03-02');
    expect(weekStart('2026-03-02')).toBe('2026-03-02');
    expect(weekStart('2026-03-08', 0)).toBe('2026-03-08');
    expect(weekStart('2026-03-07', 0)).toBe('2026-03-01');
    expect(weekStart('2026-03-02', 6)).toBe('2026-02-28');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(daysBetween('2026-02-27', '2026-03-01')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    expect(lastDayOfMonth('2028-02')).toBe('2028-02-29');
    expect(formatDuration(40_000)).toBe('40 s');
    expect(formatDuration(125 * 60_000)).toBe('2 h 05 min');
    expect(projectName('/home/me/repo/')).toBe('repo');
    expect(projectName('C:\\work\\thing')).toBe('thing');
  });
});

describe('archiveIndex', () => {
  it('lists snapshots with sizes and downloads', () => {
    const html = archiveIndex([
      {
        id: '20260302T000500Z',
        takenAt: Date.parse('2026-03-02T00:05:00Z'),
        siteBytes: 2048,
        tarBytes: 1024,
      },
    ]);
    expect(html).toContain('href="20260302T000500Z/index.html"');
    expect(html).toContain('href="20260302T000500Z.tar.gz" download');
    expect(html).toContain('2026-03-02 00:05:00 UTC');
    expect(html).toContain('2.0 KB');
  });
});
