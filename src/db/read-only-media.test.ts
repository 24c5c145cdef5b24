import { afterEach, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../test/fixtures/fixture-tree.ts';
import { immutableName, readOnlyMedia } from './read-only-media.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const err = (code: string) => Object.assign(new Error(code), { code });

describe('readOnlyMedia', () => {
  it('a reader that cannot share a file without a -wal beside it reads it as immutable', () => {
    const d = tempDir('ctm-rom-');
    dirs.push(d);
    const db = join(d, 'ctm.db');
    writeFileSync(db, '');
    for (const code of ['SQLITE_CANTOPEN', 'SQLITE_READONLY_DIRECTORY', 'SQLITE_READONLY_CANTINIT'])
      expect(readOnlyMedia(db, err(code))).toBe(true);
    expect(readOnlyMedia(db, err('SQLITE_READONLY'))).toBe(false);
    expect(readOnlyMedia(db, err('SQLITE_BUSY'))).toBe(false);
    expect(readOnlyMedia(join(d, 'absent.db'), err('SQLITE_CANTOPEN'))).toBe(false);
    writeFileSync(`${db}-wal`, '');
    expect(readOnlyMedia(db, err('SQLITE_READONLY_DIRECTORY'))).toBe(false);
  });

  it('the immutable name is a file URI, spaces escaped', () => {
    expect(immutableName('/data dir/ctm.db')).toBe('file:///data%20dir/ctm.db?immutable=1');
  });
});
