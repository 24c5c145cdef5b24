// The bytes of request bodies the hub's receiver holds at once, across every request in flight (being read,
// or waiting for the decoder and writer): each request reserves its bytes before it reads them and gives them
// back once answered. A request that would pass the budget is answered 503 at once, so stalled or parallel
// uploads cannot grow the hub's memory beyond it, whatever their number.

export interface BodyBudget {
  /** Reserves n more bytes; false (and nothing reserved) when that would pass the budget. */
  take(n: number): boolean;
  give(n: number): void;
  /** Bytes reserved now. */
  readonly used: number;
}

export function createBodyBudget(max: number): BodyBudget {
  let used = 0;
  return {
    take(n) {
      if (used + n > max) return false;
      used += n;
      return true;
    },
    give(n) {
      used = Math.max(0, used - n);
    },
    get used() {
      return used;
    },
  };
}
