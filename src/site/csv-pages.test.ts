// The CSV files of the pages' tables on a real index (site-fixture's rows, two sessions moved to other machines
// as a hub stores them, one project whose name a spreadsheet would run as a formula): every page's files parse
// back (test/fixtures/csv-parse.ts) to the rows its loader gave the view, in the view's order, numbers plain
// and exact, costs at full precision, times ISO 8601, projects by the name the page shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../test/fixtures/csv-parse.ts';
import { moveSession, siteIndex, type SiteIndex } from '../../test/fixtures/site-index.ts';
import { FIXTURE, SONNET, at } from '../../test/fixtures/site-fixture.ts';
import type { SiteContext } from './site-context.ts';
import { allPages, loadPage, pageCsvFiles, pageFile, siteKeys, type Page } from './pages.ts';
import { pageSlug } from './page-slug.ts';
import type { PeriodsData } from './load/periods.ts';
import type { ProjectsData } from './load/projects.ts';
import type { SessionsData } from './load/sessions.ts';
import type { DayData } from './load/day.ts';
import type { SessionData } from './load/session.ts';
import type { ModelsData } from './load/models.ts';
import type { BlocksData } from './load/blocks.ts';
import type { TeamData } from './load/team.ts';

const HOSTILE_CWD = '/home/me/=SUM(A1),"x"';

let index: SiteIndex;
let ctx: SiteContext;

beforeAll(() => {
  const rows = [
    ...FIXTURE,
    {
      ts: at('2026-03-04T08:00:00Z'),
      model: SONNET,
      sessionId: 's-hostile',
      project: '-home-me--SUM-A1---x-',
      cwd: HOSTILE_CWD,
      input: 123,
      output: 45,
    },
  ];
  index = siteIndex(rows, { CTM_MACHINE: 'laptop', CTM_USER: 'me' }, (w) => {
    moveSession(w, 's2', 'desk', 'bob');
    moveSession(w, 's3', 'ci', 'me');
  });
  ctx = index.context('2026-03-05T12:00:00Z');
});
afterAll(() => index.remove());

type Cell = string | number | boolean | null | undefined;
/** A row as the parsed CSV holds it: numbers in plain digits, absent values empty. */
const text = (row: readonly Cell[]) => row.map((v) => (v === null || v === undefined ? '' : String(v)));

function csvOf<T>(page: Page): { data: T; files: Map<string, string[][]> } {
  const data = loadPage(ctx, page);
  expect(data, `${page.kind} ${page.key}`).toBeDefined();
  const files = new Map(pageCsvFiles(page, data!).map((f) => [f.file, parseCsv(f.text)]));
  return { data: data as T, files };
}

const ISO = (ms: number) => new Date(ms).toISOString();

describe('the pages’ CSV files', () => {
  it('every page of every kind: files beside its index.html, each parsing to rows as wide as its header', () => {
    const pages = allPages(siteKeys(ctx));
    expect(new Set(pages.map((p) => p.kind)).size).toBeGreaterThan(14);
    let files = 0;
    for (const page of pages) {
      const data = loadPage(ctx, page)!;
      const dirOf = pageFile(page).replace(/index\.html$/, '');
      const csv = pageCsvFiles(page, data);
      if (page.kind !== 'notFound') expect(csv.length, pageFile(page)).toBeGreaterThan(0);
      expect(new Set(csv.map((f) => f.file)).size).toBe(csv.length);
      for (const f of csv) {
        expect(f.file.startsWith(dirOf) && /^[A-Za-z0-9_~-]+\.csv$/.test(f.file.slice(dirOf.length))).toBe(
          true,
        );
        const [header, ...rows] = parseCsv(f.text);
        for (const row of rows) expect(row.length, f.file).toBe(header!.length);
        files++;
      }
    }
    expect(files).toBeGreaterThan(pages.length);
  });

  it('the days listing: a row per day, newest first, the figures of the loader’s rows exactly', () => {
    const { data, files } = csvOf<PeriodsData>({ kind: 'days', key: '' });
    expect([...files.keys()]).toEqual(['days/index.csv']);
    const [header, ...rows] = files.get('days/index.csv')!;
    expect(header).toEqual([
      'Day',
      'Sessions',
      'Requests',
      'Input',
      'Output',
      'Cache write',
      'Cache read',
      'Total tokens',
      'Cost',
    ]);
    expect(rows).toEqual(
      data.rows.map((r) =>
        text([
          r.period,
          r.sessions,
          r.messages,
          r.inputTokens,
          r.outputTokens,
          r.cacheWrite5mTokens + r.cacheWrite1hTokens,
          r.cacheReadTokens,
          r.totalTokens,
          r.cost,
        ]),
      ),
    );
    expect(rows.map((r) => r[0])).toEqual(['2026-03-04', '2026-03-02']);
    // Full precision: the field reads back as the very number the page's cost was written from.
    for (const [i, r] of data.rows.entries()) expect(Number(rows[i]![8])).toBe(r.cost);
  });

  it('the weeks and months listings name their periods by their first day and month, with active days', () => {
    expect(csvOf({ kind: 'weeks', key: '' }).files.get('weeks/index.csv')![0]!.slice(0, 3)).toEqual([
      'Week',
      'Active days',
      'Sessions',
    ]);
    expect(
      csvOf({ kind: 'weeks', key: '' })
        .files.get('weeks/index.csv')!
        .slice(1)
        .map((r) => r[0]),
    ).toEqual(['2026-03-02']);
    expect(csvOf({ kind: 'months', key: '' }).files.get('months/index.csv')![0]![0]).toBe('Month');
  });

  it('the projects listing: the display names the page shows, and a name a spreadsheet would run kept text', () => {
    const { data, files } = csvOf<ProjectsData>({ kind: 'projects', key: '' });
    const [header, ...rows] = files.get('projects/index.csv')!;
    expect(header!.slice(0, 3)).toEqual(['Project', 'Working directory', 'Sessions']);
    expect(rows.map((r) => r[0])).toEqual(data.projects.map((p) => p.projectName.replace(/^=/, "'=")));
    expect(rows.map((r) => r[1])).toEqual(data.projects.map((p) => p.projectPath));
    expect(rows.map((r) => Number(r.at(-1)))).toEqual(data.projects.map((p) => p.cost));
    const hostile = rows.find((r) => r[1] === HOSTILE_CWD)!;
    expect(hostile[0]).toBe(`'=SUM(A1),"x"`);
  });

  it('the sessions listing: last activity and start as ISO 8601, the full session id, the duration in seconds', () => {
    const { data, files } = csvOf<SessionsData>({ kind: 'sessions', key: '' });
    const [header, ...rows] = files.get('sessions/index.csv')!;
    expect(header).toEqual([
      'Last activity',
      'Session',
      'Project',
      'Started',
      'Duration (s)',
      'Requests',
      'Tokens',
      'Cost',
    ]);
    expect(rows).toEqual(
      data.sessions.map((s) =>
        text([
          ISO(s.lastTs),
          s.sessionId,
          s.projectName.replace(/^=/, "'="),
          ISO(s.firstTs),
          (s.lastTs - s.firstTs) / 1000,
          s.messages,
          s.totalTokens,
          s.cost,
        ]),
      ),
    );
    const month = csvOf<SessionsData>({ kind: 'sessionMonth', key: '2026-03' });
    expect(month.files.get('sessions/months/2026-03/index.csv')!.length).toBe(month.data.sessions.length + 1);
  });

  it('a day page: one file per table, named for it; a model without a price says how many requests', () => {
    const { data, files } = csvOf<DayData>({ kind: 'day', key: '2026-03-02' });
    expect([...files.keys()]).toEqual([
      'days/2026-03-02/models.csv',
      'days/2026-03-02/projects.csv',
      'days/2026-03-02/sessions.csv',
    ]);
    const models = files.get('days/2026-03-02/models.csv')!;
    expect(models[0]!.at(-1)).toBe('Unpriced requests');
    expect(models.slice(1).map((r) => [r[0], r.at(-1)])).toEqual(
      data.models.map((m) => [m.key, String(m.unpricedMessages)]),
    );
    expect(data.models.some((m) => m.unpricedMessages > 0)).toBe(true);
    expect(
      files
        .get('days/2026-03-02/sessions.csv')!
        .slice(1)
        .map((r) => r[1]),
    ).toEqual(data.sessions.map((s) => s.sessionId));
  });

  it('a session page: its models and its threads, the main thread by name and each subagent by id', () => {
    const { data, files } = csvOf<SessionData>({ kind: 'session', key: 's1' });
    const threads = files.get('sessions/s1/threads.csv')!;
    expect(threads[0]!.slice(0, 3)).toEqual(['Thread', 'Agent type', 'Requests']);
    expect(threads.slice(1).map((r) => r[0])).toEqual(
      data.agents.map((a) => (a.key === '' ? 'main thread' : a.key)),
    );
    expect(threads.slice(1).map((r) => r[0])).toContain('agent-a');
    expect(files.get('sessions/s1/models.csv')![0]).not.toContain('Sessions');
  });

  it('the models page: the sums and the rates, USD per million tokens as plain numbers', () => {
    const { data, files } = csvOf<ModelsData>({ kind: 'models', key: '' });
    const rates = files.get('models/rates.csv')!;
    expect(rates[0]!.slice(0, 4)).toEqual(['Model', 'Price entry', 'Input', 'Output']);
    expect(rates.slice(1).map((r) => r.slice(0, 4))).toEqual(
      data.models.map((m) => text([m.key, m.priceId, m.price?.input, m.price?.output])),
    );
    expect(files.get('models/index.csv')!.length).toBe(data.models.length + 1);
  });

  it('the blocks page: the recent blocks with ISO start and end, whether active, the share of the limit', () => {
    const { data, files } = csvOf<BlocksData>({ kind: 'blocks', key: '' });
    const [header, ...rows] = files.get('blocks/index.csv')!;
    expect(header).toEqual([
      'Start',
      'End',
      'Active',
      'Models',
      'Of limit (%)',
      'Requests',
      'Tokens',
      'Cost',
    ]);
    expect(rows).toEqual(
      data.recent.map((b) =>
        text([
          ISO(Date.parse(b.startTime)),
          ISO(Date.parse(b.endTime)),
          b.isActive,
          b.models.join(', '),
          data.limit > 0 ? (b.totalTokens / data.limit) * 100 : null,
          b.entries,
          b.totalTokens,
          b.costUSD,
        ]),
      ),
    );
    expect(rows.length).toBeGreaterThan(0);
  });

  it('the machines page: the machines, and each machine’s sessions in a file named for it', () => {
    const { data, files } = csvOf<TeamData>({ kind: 'machines', key: '' });
    const index = files.get('machines/index.csv')!;
    expect(index.slice(1).map((r) => r[0])).toEqual(data.members.map((m) => m.key));
    expect(data.members.map((m) => m.key).sort()).toEqual(['ci', 'desk', 'laptop']);
    for (const m of data.members)
      expect(
        files
          .get(`machines/sessions-${pageSlug(m.key)}.csv`)!
          .slice(1)
          .map((r) => r[1]),
      ).toEqual(m.sessionList.map((s) => s.sessionId));
  });

  it('the overview: its top projects and models, and its machines and users when there are several', () => {
    const { files } = csvOf({ kind: 'overview', key: '' });
    expect([...files.keys()]).toEqual([
      'top-projects.csv',
      'top-models.csv',
      'top-machines.csv',
      'top-users.csv',
    ]);
    expect(files.get('top-projects.csv')![0]).toEqual([
      'Project',
      'Working directory',
      'Sessions',
      'Total tokens',
      'Cost',
    ]);
  });
});
