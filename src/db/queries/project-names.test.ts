// Project names come from project_cwds, which the writers keep in step with the counted messages; an index of
// an older schema, opened read-only before anything migrated it, is read from its messages.
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

const distinctPairs = (db: ReturnType<typeof openDb>) =>
  db.prepare('SELECT DISTINCT project, cwd FROM usage ORDER BY project, cwd').all();

describe('projectNames', () => {
  it('are the pairs the counted messages name, after another connection’s commit too', () => {
    const reader = openDb(path(), { readonly: true });
    const first = projectNames(reader);
    expect(first).toEqual(distinctPairs(reader));
    expect(first.map((n) => n.project)).not.toContain(another.project);
    const w = openDb(path());
    insertUsageRows(w, [another]);
    w.close();
    expect(projectNames(reader)).toContainEqual({ project: another.project, cwd: another.cwd });
    expect(projectNames(reader)).toEqual(distinctPairs(reader));
    reader.close();
  });

  it('are read from the messages on an index of an older schema', () => {
    const w = openDb(path());
    const expected = distinctPairs(w);
    w.exec('DELETE FROM project_cwds');
    w.pragma('user_version = 10');
    expect(projectNames(w)).toEqual(expected);
    w.pragma('user_version = 11');
    expect(projectNames(w)).toEqual([]);
    w.close();
  });
});
