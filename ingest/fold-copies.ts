// The copies of one response in a commit: Claude Code writes a line per content block, each repeating the
// response's usage, so a transcript holds about two lines per response counted. Which copy counts is decided
// by beats(); foldCopies() keeps, in file order, only the copies that win in turn (each beats every earlier
// copy of its key), which is all the writer's fold of a new key ever looks at (message-store.ts). A reader
// thread folds a cold load's commits so that the writer decodes and walks only those; what it left out is
// passed on as a count, so the pass's duplicate count stays the same.
import { totalTokens, type UsageEvent } from './parse-line.ts';

export interface Best {
  total: number;
  speed: string | null;
  isSidechain: boolean;
}

/** Whether a copy beats the one counted so far: a main-thread copy beats a sidechain replay of it (the
 *  response counts as the parent's), then the larger total wins, then the copy carrying usage.speed. */
export function beats(copy: UsageEvent, total: number, best: Best): boolean {
  if (copy.isSidechain !== best.isSidechain) return !copy.isSidechain;
  if (total !== best.total) return total > best.total;
  return copy.speed !== null && best.speed === null;
}

/** The copies that win in turn within each key, in file order, and how many were left out. Advisor rows are
 *  kept whole: which of them count depends on the line their response is counted from. Exact only where
 *  no stored copy is re-read from its own line (a cold load: every file is read once, from its start). */
export function foldCopies<T extends { event: UsageEvent }>(
  events: readonly T[],
): { events: T[]; dropped: number } {
  const best = new Map<string, Best>();
  const kept: T[] = [];
  for (const located of events) {
    const e = located.event;
    if (e.advisorOf !== null) {
      kept.push(located);
      continue;
    }
    const total = totalTokens(e);
    const current = best.get(e.key);
    if (current === undefined || beats(e, total, current)) {
      best.set(e.key, { total, speed: e.speed, isSidechain: e.isSidechain });
      kept.push(located);
    }
  }
  return { events: kept, dropped: events.length - kept.length };
}
