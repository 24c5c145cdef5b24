// The messages between `ctm start`'s OTLP receiver (main thread) and the hub writer thread: a request's raw
// body for one machine goes in, its outcome comes out, matched by id.
import type { ChangeSetJson } from '../db/change-set.ts';
import type { Wire } from './otlp-reply.ts';

export type ToHubWriter =
  | {
      type: 'write';
      id: number;
      machine: string;
      wire: Wire;
      gzip: boolean;
      body: Uint8Array;
    }
  | { type: 'stop' };

export type HubOutcome =
  | {
      type: 'written';
      id: number;
      accepted: number;
      duplicates: number;
      ignored: number;
      rejected: number;
      /** Why records were rejected, for the partial-success answer ('' when none were). */
      message: string;
      changes: ChangeSetJson;
      at: number;
    }
  /** The request is refused as a whole: nothing was written. */
  | { type: 'refused'; id: number; status: 400 | 403 | 413; message: string };

export type FromHubWriter =
  | HubOutcome
  /** The request could not be written (the database's problem): the client is told to retry. */
  | { type: 'failed'; id: number; message: string }
  | { type: 'ready' }
  | { type: 'stopped' }
  /** The writer could not start. */
  | { type: 'error'; message: string };
