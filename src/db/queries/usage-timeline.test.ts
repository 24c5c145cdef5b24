// The timeline as an array and as a stream: the same rows in the same order, for every option.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../open.ts';
import { insertUsageRows } from '../../../test/fixtures/seed-usage-db.ts';
import { FIXTURE } from '../../../test/fixtures/site-fixture.ts';
import { timelineRows, usageTimeline } from './usage-timeline.ts';

let dir: string;
let db: Db;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctm-usage-timeline-'));
  db = openDb(join(dir, 'ctm.db'));
  insertUsageRows(db, FIXTURE);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('timelineRows', () => {
  it('streams the rows usageTimeline returns', () => {
    const all = usageTimeline(db, { costMode: 'auto' });
    expect(all.length).toBe(FIXTURE.length);
    expect([...timelineRows(db, { costMode: 'auto' })]).toEqual(all);
    const mid = all[Math.floor(all.length / 2)]!.ts;
    const some = { costMode: 'calculate' as const, fromTs: mid, project: FIXTURE[0]!.project };
    expect([...timelineRows(db, some)]).toEqual(usageTimeline(db, some));
    expect(usageTimeline(db, some).length).toBeGreaterThan(0);
  });
});
