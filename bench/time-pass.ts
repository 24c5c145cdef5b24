// Child process of `npm run bench:ingest`: times ingest passes through the same functions `ctm ingest --once` calls
// (config, database, ingester), several in one process, and prints their durations as JSON. Used for the
// no-change pass, whose own time a CLI run cannot report (unchanged passes are not logged).
import { loadConfig } from '../src/config.ts';
import { openDb } from '../src/db/open.ts';
import { createLogger } from '../src/log.ts';
import { createIngester } from '../ingest/ingester.ts';

const runs = Number(process.argv[2] ?? 1);
const config = loadConfig(process.env);
const db = openDb(config.dbPath);
try {
  const ingester = createIngester(db, config, createLogger('error'));
  const ms: number[] = [];
  let files = 0;
  let filesRead = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const summary = ingester.pass();
    ms.push(performance.now() - started);
    files = summary.filesScanned;
    filesRead += summary.filesRead;
  }
  process.stdout.write(JSON.stringify({ ms, files, filesRead }) + '\n');
} finally {
  db.close();
}
