// The messages between `ctm start`'s OTLP receiver (main thread) and the hub's two threads: the decoder takes
// a request's raw body for one machine and answers with its rows (or why the request is refused), the writer
// takes those rows and answers with what it stored. Both are matched by request id and handled in order.
import type { ChangeSetJson } from '../db/change-set.ts';
import type { HubBatch } from './hub-records.ts';
import type { Wire } from './otlp-reply.ts';

export interface BodyJob {
  type: 'decode';
  id: number;
  machine: string;
  wire: Wire;
  gzip: boolean;
  body: Uint8Array;
}

export type ToHubDecoder = BodyJob | { type: 'stop' };

/** The request is refused as a whole: nothing was written. */
export interface Refused {
  type: 'refused';
  id: number;
  status: 400 | 403 | 413;
  message: string;
}

export type FromHubDecoder =
  | { type: 'decoded'; id: number; batch: HubBatch; at: number }
  | Refused
  /** The thread is up: the decode deadline runs from here (a starting thread's imports do not count). */
  | { type: 'ready' }
  | { type: 'stopped' };

export type ToHubWriter = { type: 'write'; id: number; batch: HubBatch; at: number } | { type: 'stop' };

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
  | Refused;

export type FromHubWriter =
  | Extract<HubOutcome, { type: 'written' }>
  /** The request could not be written (the database's problem): the client is told to retry. */
  | { type: 'failed'; id: number; message: string }
  | { type: 'ready' }
  | { type: 'stopped' }
  /** The writer could not start. */
  | { type: 'error'; message: string };
