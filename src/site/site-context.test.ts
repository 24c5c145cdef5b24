// A build process (CTM_BUILD_SUMMARY=1) reads its summary of the index through one snapshot, so a commit made
// while it runs changes none of its pages; a caller that passes its own config (the live server's twin routes)
// reads the messages as they are.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../db/open.ts';
import { loadConfig } from '../config.ts';
import { insertUsageRows } from '../../bench/seed-usage-db.ts';
import { FIXTURE } from '../db/queries/site-fixture.ts';
import { usageTotals } from '../db/queries/usage-totals.ts';

let dir: string;
const saved = { ...process.env };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctm-site-context-'));
  const w = openDb(join(dir, 'ctm.db'));
  insertUsageRows(w, FIXTURE.slice(0, 3));
  w.close();
});
afterAll(() => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe('siteContext', () => {
  it('gives a build process its summary and one snapshot, and a given config neither', async () => {
    process.env = { ...saved, CTM_DATA_DIR: dir, CTM_TZ: 'UTC', CTM_BUILD_SUMMARY: '1' };
    vi.resetModules();
    const { siteContext } = await import('./site-context.ts');
    const build = siteContext();
    expect(build.filter.summary).toBe(true);
    expect(build.db.inTransaction).toBe(true);
    const before = usageTotals(build.db, build.filter).messages;
    expect(before).toBe(3);

    const w = openDb(join(dir, 'ctm.db'));
    insertUsageRows(w, FIXTURE.slice(3, 4));
    w.close();
    // The same build process still sees its snapshot, through the summary and through the messages.
    expect(usageTotals(build.db, build.filter).messages).toBe(before);
    expect(usageTotals(build.db, { ...build.filter, summary: false }).messages).toBe(before);

    const twin = siteContext(loadConfig({ CTM_DATA_DIR: dir, CTM_TZ: 'UTC' }));
    expect(twin.filter.summary).toBe(false);
    const fresh = openDb(join(dir, 'ctm.db'), { readonly: true });
    expect(usageTotals(fresh, { ...twin.filter }).messages).toBe(before + 1);
    fresh.close();
    build.db.close();
  });
});
