// A big site is prerendered by several `astro build` processes at once, one per core: each renders every
// n-th page of the dynamic routes (CTM_BUILD_SHARD="i/n", set by buildSite) and its share of the singleton
// pages; buildSite then merges the outputs. Unset means one process builds everything.
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

/** The pages a site has one of, with the file each is written to. */
export const SINGLETON_FILES = {
  overview: 'index.html',
  blocks: 'blocks/index.html',
  models: 'models/index.html',
  days: 'days/index.html',
  weeks: 'weeks/index.html',
  months: 'months/index.html',
  projects: 'projects/index.html',
  sessions: 'sessions/index.html',
  notFound: '404.html',
} as const;

export type SingletonPage = keyof typeof SINGLETON_FILES;

// Dealt to the shards group by group: on a big index the singleton pages take seconds (each reads the whole
// history), which left the other shards idle at the end when shard 0 rendered them all. Pages sharing a
// per-process cache stay in one group (the overview and /blocks/ read the same block history). Shard 0 always
// renders the overview (buildSite checks its output for index.html).
const SINGLETON_GROUPS: readonly (readonly SingletonPage[])[] = [
  ['overview', 'blocks'],
  ['models'],
  ['projects', 'sessions', 'notFound'],
  ['days', 'weeks', 'months'],
];

/** Whether this process renders a singleton page (the other shards write an empty placeholder). */
export function rendersSingleton(page: SingletonPage, shard: Shard = buildShard()): boolean {
  return SINGLETON_GROUPS.findIndex((group) => group.includes(page)) % shard.count === shard.index;
}

/** The files of the singleton pages a shard renders, relative to its output. */
export function singletonFiles(shard: Shard): string[] {
  return (Object.keys(SINGLETON_FILES) as SingletonPage[])
    .filter((page) => rendersSingleton(page, shard))
    .map((page) => SINGLETON_FILES[page]);
}

/** The folders holding dynamic-route pages, which other shards contribute to shard 0's output. */
export const SHARDED_DIRS = ['days', 'months', 'projects', 'sessions', 'sessions/months'] as const;
