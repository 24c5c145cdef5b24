// The messages between `ctm start`'s main thread and its push thread.
export type ToPushWorker = { type: 'nudge' } | { type: 'stop' };

export type FromPushWorker =
  { type: 'pushed'; sent: number; rejected: number; at: number; error: string | null } | { type: 'stopped' };
