// The messages between `ctm start`'s main thread and its worker threads (ingest, page refresh).
import type { ChangeSetJson } from '../db/change-set.ts';
import type { PassProgress } from '../../ingest/ingest-pass.ts';

export interface PassReport {
  first: boolean;
  startedAt: number;
  finishedAt: number;
  newMessages: number;
  replacedMessages: number;
  duplicateLines: number;
  ignoredLines: number;
  skipped: Record<string, number>;
}

export type FromWorker =
  | { type: 'no-data'; reason: string }
  | { type: 'data-found' }
  | { type: 'commit'; changes: ChangeSetJson; at: number }
  | { type: 'pass'; pass: PassReport }
  /** How far the first pass has got, a few times a second while it reads. */
  | { type: 'progress'; progress: PassProgress }
  | { type: 'max-block'; tokens: number }
  | { type: 'pass-failed'; error: string }
  | { type: 'error'; message: string }
  | { type: 'stopped' };

export type ToWorker = { type: 'stop' };

export type FromRefreshWorker = { type: 'refreshed'; pages: number; ms: number } | { type: 'stopped' };

export type ToRefreshWorker =
  | { type: 'stop' }
  | { type: 'site-ready'; serverEntry: string }
  | { type: 'refresh'; changes: ChangeSetJson };
