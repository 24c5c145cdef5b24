// foldCopies keeps the copies that win in turn, in file order, per key; advisor rows stay whole.
import { describe, expect, it } from 'vitest';
import { beats, foldCopies } from './fold-copies.ts';
import type { LocatedEvent } from './message-store.ts';
import { parseLine, type UsageEvent } from './parse-line.ts';
import { assistantLine } from '../test/fixtures/fixture-lines.ts';

// One parsed assistant line as the base event; each copy overrides what the case is about.
const parsed = parseLine(Buffer.from(assistantLine({ id: 'base', timestamp: '2026-10-01T10:00:00Z' })));
if (parsed.kind !== 'event') throw new Error('the fixture line parses to no event');
const base: UsageEvent = {
  ...parsed.event,
  input: 1,
  output: 0,
  cacheWrite5m: 0,
  cacheWrite1h: 0,
  cacheRead: 0,
};

let line = 0;
function copy(key: string, output: number, o: Partial<UsageEvent> = {}): LocatedEvent {
  const event: UsageEvent = { ...base, key, messageId: key, output, ...o };
  return { event, lineNo: ++line, sessionId: 's', agentId: null };
}

describe('foldCopies', () => {
  it('keeps each key’s successive winners in file order and counts the rest', () => {
    const a1 = copy('a', 1);
    const b1 = copy('b', 5);
    const a2 = copy('a', 400);
    const a3 = copy('a', 400); // a tie without speed: the earlier copy stays
    const a4 = copy('a', 400, { speed: 'fast' }); // the same total, with speed: wins
    const b2 = copy('b', 5, { isSidechain: true }); // a sidechain replay never beats the main copy
    const adv = copy('a:advisor:0', 9, { advisorOf: 'a' });
    const adv2 = copy('a:advisor:0', 9, { advisorOf: 'a' });
    const out = foldCopies([a1, b1, a2, a3, a4, b2, adv, adv2]);
    expect(out.events).toEqual([a1, b1, a2, a4, adv, adv2]);
    expect(out.dropped).toBe(2);
  });

  it('a main-thread copy beats a sidechain one whatever the totals', () => {
    const side = copy('k', 1000, { isSidechain: true });
    const main = copy('k', 1);
    expect(foldCopies([side, main]).events).toEqual([side, main]);
    expect(beats(side.event, 1001, { total: 2, speed: null, isSidechain: false })).toBe(false);
  });

  it('keeps the copy a sequential fold ends with, for any order of copies', () => {
    // Sequential fold as the writer does it for a new key: the last copy that beat all before it.
    const sequential = (copies: LocatedEvent[]) => {
      let best: LocatedEvent | undefined;
      for (const c of copies) {
        const t = (e: UsageEvent) => e.input + e.output;
        if (
          !best ||
          beats(c.event, t(c.event), {
            total: t(best.event),
            speed: best.event.speed,
            isSidechain: best.event.isSidechain,
          })
        )
          best = c;
      }
      return best;
    };
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 200; round++) {
      const copies = Array.from({ length: 1 + rnd(8) }, () =>
        copy(`k${rnd(3)}`, rnd(4), { isSidechain: rnd(3) === 0, speed: rnd(2) ? 'fast' : null }),
      );
      const kept = foldCopies(copies).events;
      for (const key of new Set(copies.map((c) => c.event.key))) {
        const all = copies.filter((c) => c.event.key === key);
        expect(kept.filter((c) => c.event.key === key).at(-1)).toBe(sequential(all));
      }
    }
  });
});
