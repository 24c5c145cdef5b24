// The hub writer thread of `ctm start`: owns a writing connection to the index for the records other machines
// send, beside the ingest thread's (SQLite serializes the two; each holds its write lock for one transaction).
// Settings are reconciled first, as the ingest does, since a hub need not have a Claude dir of its own to
// ingest from. Batches (decoded by the decoder thread) are written one at a time, in the order they arrive.
import { parentPort } from 'node:worker_threads';
import { inheritedConfig } from '../config-channel.ts';
import { openDb } from '../db/open.ts';
import { loadPricing } from '../pricing/load-pricing.ts';
import { reconcileSettings } from '../../ingest/reconcile-settings.ts';
import { writeBatch } from './handle-body.ts';
import { createHubStore } from './hub-store.ts';
import type { FromHubWriter, ToHubWriter } from './hub-messages.ts';

const config = inheritedConfig(process.env);
const post = (m: FromHubWriter): void => parentPort!.postMessage(m);

try {
  const db = openDb(config.dbPath);
  // A few MB of page cache beyond the default keep the key and day indexes' hot pages while batches arrive.
  db.pragma('cache_size = -16000');
  db.pragma('temp_store = MEMORY');
  const pricing = loadPricing(config.pricingFile);
  reconcileSettings(db, { timezone: config.timezone, pricing });
  const store = createHubStore(db, { timezone: config.timezone, pricing });
  parentPort!.on('message', (m: ToHubWriter) => {
    if (m.type === 'stop') {
      db.pragma('wal_checkpoint(PASSIVE)');
      db.close();
      post({ type: 'stopped' });
      parentPort!.close();
      return;
    }
    try {
      post(writeBatch(store, m.id, m.batch, m.at));
    } catch (error) {
      // The database's problem (full disk, locked past the busy timeout): the client retries on 503.
      post({ type: 'failed', id: m.id, message: (error as Error).message });
    }
  });
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'error', message: (error as Error).message });
  throw error;
}
