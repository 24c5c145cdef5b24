// A test fixture: another process holding an index's write lock in exclusive locking mode, which keeps every
// other connection out of a WAL file (readers too) until it is released. SQLite's locks are per process, so
// only a second process can stand for "another ctm, or a sqlite3 shell, has it locked".
import { spawn } from 'node:child_process';

const HOLDER = `
  const Database = require('better-sqlite3');
  const db = new Database(process.argv[1]);
  db.pragma('locking_mode = EXCLUSIVE');
  db.prepare('SELECT count(*) FROM sqlite_schema').get();
  db.exec('BEGIN EXCLUSIVE');
  process.stdout.write('locked\\n');
  process.stdin.on('data', () => {});
  process.stdin.on('end', () => process.exit(0));
`;

export async function holdExclusiveLock(path: string): Promise<{ release(): Promise<void> }> {
  const child = spawn(process.execPath, ['-e', HOLDER, path], {
    stdio: ['pipe', 'pipe', 'inherit'],
    cwd: new URL('../../', import.meta.url).pathname,
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
  return {
    release: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}
