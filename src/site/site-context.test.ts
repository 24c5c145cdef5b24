// A build's context reads the index through one snapshot, so a commit made while it runs changes none of its
// pages; the refresh's context reads the index as it is. Both read the same sums (usage_daily).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../db/open.ts';
import { loadConfig } from '../config.ts';
import { insertUsageRows } from '../../test/fixtures/seed-usage-db.ts';
import { FIXTURE } from '../../test/fixtures/site-fixture.ts';
import { usageTotals } from '../db/queries/usage-totals.ts';
import { openSiteContext } from './site-context.ts';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctm-site-context-'));
  const w = openDb(join(dir, 'ctm.db'));
  insertUsageRows(w, FIXTURE.slice(0, 3));
  w.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openSiteContext', () => {
  it('gives a build its lists and one snapshot, and the refresh neither', () => {
    const config = loadConfig({ CTM_DATA_DIR: dir, CTM_TZ: 'UTC' });
    const build = openSiteContext(config, true);
    expect(build.db.inTransaction).toBe(true);
    expect(build.lists?.sessionStarts.length).toBe(1);
    const before = usageTotals(build.db, build.filter).messages;
    expect(before).toBe(3);

    const w = openDb(join(dir, 'ctm.db'));
    insertUsageRows(w, FIXTURE.slice(3, 4));
    w.close();
    // The build still sees its snapshot, through usage_daily and through the messages (another timezone).
    expect(usageTotals(build.db, build.filter).messages).toBe(before);
    expect(usageTotals(build.db, { ...build.filter, timezone: 'Asia/Tokyo' }).messages).toBe(before);

    const refresh = openSiteContext(config, false);
    expect(refresh.lists).toBeUndefined();
    expect(usageTotals(refresh.db, refresh.filter).messages).toBe(before + 1);
    refresh.db.close();
    build.db.close();
  });

  it('maps the index into memory for the refresh only: a build reads through the page cache', () => {
    const config = loadConfig({ CTM_DATA_DIR: dir, CTM_TZ: 'UTC' });
    const build = openSiteContext(config, true);
    const refresh = openSiteContext(config, false);
    expect(build.db.pragma('mmap_size', { simple: true })).toBe(0);
    expect(refresh.db.pragma('mmap_size', { simple: true })).toBe(1073741824);
    refresh.db.close();
    build.db.close();
  });

  it('names CTM_DATA_DIR when there is no index', () => {
    const config = loadConfig({ CTM_DATA_DIR: join(dir, 'nowhere'), CTM_TZ: 'UTC' });
    expect(() => openSiteContext(config, false)).toThrow(/^CTM_DATA_DIR: no index/);
  });
});
