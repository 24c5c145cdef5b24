// Project names are read once per commit on a read-only connection, and always afresh on a writer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../open.ts';
import { insertUsageRows } from '../../../test/fixtures/seed-usage-db.ts';
import { FIXTURE } from '../../../test/fixtures/site-fixture.ts';
import { projectNames } from './project-names.ts';

let dir: string;
const path = () => join(dir, 'ctm.db');
const another = { ...FIXTURE[0]!, project: '-home-me-gamma', cwd: '/home/me/gamma', sessionId: 'g1' };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctm-project-names-'));
  const w = openDb(path());
  insertUsageRows(w, FIXTURE);
  w.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('projectNames', () => {
  it('keeps a reader’s names until another connection commits', () => {
    const reader = openDb(path(), { readonly: true });
    const first = projectNames(reader);
    expect(first.map((n) => n.project)).not.toContain(another.project);
    expect(projectNames(reader)).toBe(first);
    const w = openDb(path());
    insertUsageRows(w, [another]);
    w.close();
    const next = projectNames(reader);
    expect(next).not.toBe(first);
    expect(next).toContainEqual({ project: another.project, cwd: another.cwd });
    reader.close();
  });

  it('reads a writer’s names every time (its own commits do not move data_version)', () => {
    const w = openDb(path());
    const before = projectNames(w);
    insertUsageRows(w, [{ ...another, project: '-home-me-delta', cwd: '/home/me/delta', sessionId: 'd1' }]);
    expect(projectNames(w).length).toBe(before.length + 1);
    w.close();
  });
});
