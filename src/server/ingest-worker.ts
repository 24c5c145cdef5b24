// The ingest worker thread of `ctm start`: owns the writing database connection, runs the first pass and
// then watches the Claude dirs, posting each commit's changed keys to the main thread at once (the live
// stream and the page-refresh worker act on them). Keeps checking while no Claude dir is readable instead of
// exiting; a start that fails (the first pass cannot write, say) is reported and tried again after the rescan
// interval, and so is every failed watch pass, so health can say so. With no index yet, the first pass builds
// one of its own without a journal and puts it in place when complete (the server meanwhile has no index, as
// during any first pass), then a second pass catches what was written meanwhile. On "stop" it finishes the
// pass in progress, checkpoints the WAL and closes.
import { parentPort, workerData } from 'node:worker_threads';
import { ConfigError } from '../config.ts';
import { inheritedConfig } from '../config-channel.ts';
import { openDb, type Db } from '../db/open.ts';
import type { ChangeSet } from '../db/change-set.ts';
import { createLogger } from '../log.ts';
import { createIngester, firstPassApart, usableClaudeDirs } from '../../ingest/ingester.ts';
import { startReaders } from '../../ingest/parallel-reader.ts';
import type { PassProgress, PassSummary } from '../../ingest/ingest-pass.ts';
import { computeMaxBlockTokens, type MaxBlockState } from './max-block-tokens.ts';
import type { FromWorker, ToWorker } from './worker-messages.ts';

const MAX_BLOCK_EVERY_MS = 5 * 60 * 1000;
const PROGRESS_EVERY_MS = 200;
// A long-running process keeps a small page cache: idle memory matters more than cold-query speed here.
const CACHE_KB = 8000;

const config = inheritedConfig(process.env);
const { logJson } = workerData as { logJson: boolean };
// Same stream and format as the main thread's log (a worker's stdout is never a TTY itself).
const log = createLogger(config.logLevel, process.stdout, logJson);
const post = (message: FromWorker): void => parentPort!.postMessage(message);
// A first start reads everything into an index of its own, put in place when complete (fresh-index.ts): its
// reader threads start now, while that index is made and the files are found.
let early = process.getBuiltinModule('node:fs').existsSync(config.dbPath) ? undefined : startReaders();
let db: Db | undefined = early ? undefined : openIndex();
let stopWatch: (() => Promise<void>) | undefined;
let retry: NodeJS.Timeout | undefined;
let stopping = false;
let maxBlockAt = 0;
let maxBlock: MaxBlockState | undefined;

function openIndex(): Db {
  const index = openDb(config.dbPath);
  index.pragma(`cache_size = -${CACHE_KB}`);
  return index;
}

const report = (index: Db, s: PassSummary, first: boolean): void => {
  post({
    type: 'pass',
    pass: {
      first,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      newMessages: s.newMessages,
      replacedMessages: s.replacedMessages,
      duplicateLines: s.duplicateLines,
      ignoredLines: s.ignoredLines,
      skipped: s.skipped,
    },
  });
  const now = Date.now();
  if (first || (s.changes.size > 0 && now - maxBlockAt > MAX_BLOCK_EVERY_MS)) {
    maxBlockAt = now;
    maxBlock = computeMaxBlockTokens(index, now, maxBlock);
    post({ type: 'max-block', tokens: maxBlock.max });
    if (first) index.pragma('shrink_memory'); // a full scan: hand its page cache back
  }
};

async function start(): Promise<void> {
  if (stopping) return;
  try {
    usableClaudeDirs(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    post({ type: 'no-data', reason: error.message.replace(/^[A-Z_]+: /, '') });
    retry = setTimeout(() => void start(), Math.min(config.rescanSeconds, 5) * 1000);
    return;
  }
  post({ type: 'data-found' });
  let postedAt = 0;
  const onProgress = (progress: PassProgress): void => {
    const now = Date.now();
    if (now - postedAt < PROGRESS_EVERY_MS) return;
    postedAt = now;
    post({ type: 'progress', progress });
  };
  const onCommit = (changes: ChangeSet): void => {
    post({ type: 'commit', changes: changes.toJSON(), at: Date.now() });
  };
  try {
    let first: PassSummary | undefined;
    if (!db) {
      // Its commits are told of once the index is in place, where the server reads; with another writer's
      // index there first (a hub's), the pass below reads everything into it as a first pass.
      // The early readers serve one attempt: a retry after a failed one starts its own (a closed pool has none).
      const readers = early ?? startReaders();
      early = undefined;
      const built = firstPassApart(config, log, readers, onProgress);
      db = openIndex();
      if (built) {
        first = built.summary;
        built.changes.forEach(onCommit);
      } else
        log.info('another writer made the index during the first pass: reading everything into that one');
    }
    const index = db;
    const ingester = createIngester(index, config, log, onCommit);
    // Watch first, then read: a line written during this pass is caught by the watcher, not the rescan; one
    // written during a first start's build of its index is caught by this pass.
    stopWatch = await ingester.watch(
      (s) => report(index, s, false),
      (error) => post({ type: 'pass-failed', error: error.message }),
    );
    if (stopping) return void stopWatch();
    const pass = ingester.pass(undefined, first ? undefined : onProgress);
    // The first pass is told of once the index is watched and has caught up with what was written while it was
    // built: ready means every line so far is in, and a pass that fails after it is a watched pass's failure.
    if (first) report(index, first, true);
    report(index, pass, first === undefined);
  } catch (error) {
    await stopWatch?.();
    stopWatch = undefined;
    log.debug('ingest start failed', { error: (error as Error).stack ?? String(error) });
    post({ type: 'error', message: (error as Error).message ?? String(error) });
    if (!stopping) retry = setTimeout(() => void start(), config.rescanSeconds * 1000);
  }
}

parentPort!.on('message', (message: ToWorker) => {
  if (message.type === 'stop') {
    stopping = true;
    if (retry) clearTimeout(retry);
    void (async () => {
      await stopWatch?.();
      db?.pragma('wal_checkpoint(TRUNCATE)');
      db?.close();
      post({ type: 'stopped' });
      parentPort!.close();
    })();
  }
});

start().catch((error: unknown) => {
  post({ type: 'error', message: (error as Error).stack ?? String(error) });
});
