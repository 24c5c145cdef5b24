// A big site is prerendered by several `astro build` processes at once, one per core: each renders every
// n-th page of the dynamic routes (CTM_BUILD_SHARD="i/n", set by buildSite) and shard 0 also renders the
// singleton pages; buildSite then merges the outputs. Unset means one process builds everything.
export interface Shard {
  index: number;
  count: number;
}

export function buildShard(env: Record<string, string | undefined> = process.env): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(env.CTM_BUILD_SHARD ?? '');
  if (!m) return { index: 0, count: 1 };
  const index = Number(m[1]);
  const count = Number(m[2]);
  return count > 0 && index < count ? { index, count } : { index: 0, count: 1 };
}

/** This shard's share of a route's keys: every n-th key of the list. */
export function shardKeys<T>(keys: readonly T[], shard: Shard = buildShard()): T[] {
  return shard.count === 1 ? [...keys] : keys.filter((_, i) => i % shard.count === shard.index);
}

/** Whether this process renders the singleton pages (overview, listings, 404). */
export function primaryShard(shard: Shard = buildShard()): boolean {
  return shard.index === 0;
}

/** The folders holding dynamic-route pages, which other shards contribute to shard 0's output. */
export const SHARDED_DIRS = ['days', 'months', 'projects', 'sessions', 'sessions/months'] as const;
