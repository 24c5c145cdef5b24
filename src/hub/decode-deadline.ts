// The hub decoder's watchdog clock. The decoder takes bodies one at a time in the order they were posted, so
// the oldest one not yet answered is the one being decoded; once it has been first in line for `ms` with the
// thread up, onExpired names it (once). Waiting behind another body, or for a new thread to start, does not
// count: only the decode itself is timed. What to do about an expired body is the caller's (start-hub.ts).

export interface DecodeDeadline {
  /** The decoder thread is up and taking bodies. */
  ready(): void;
  posted(id: number): void;
  /** The decoder answered this body (an id it does not hold, from a thread already gone, is ignored). */
  answered(id: number): void;
  /** The thread is gone: forgets every body and stops the clock until ready(); the ids held, oldest first. */
  reset(): number[];
}

export function createDecodeDeadline(ms: number, onExpired: (id: number) => void): DecodeDeadline {
  let queue: number[] = [];
  let up = false;
  let timer: NodeJS.Timeout | undefined;
  let timed: number | undefined;

  const stopClock = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    timed = undefined;
  };
  /** Times the first body in line, unless it is already timed. */
  const arm = (): void => {
    const first = queue[0];
    if (!up || first === undefined || first === timed) return;
    stopClock();
    timed = first;
    timer = setTimeout(() => {
      timer = undefined;
      onExpired(first);
    }, ms);
    timer.unref();
  };

  return {
    ready() {
      up = true;
      arm();
    },
    posted(id) {
      queue.push(id);
      arm();
    },
    answered(id) {
      const at = queue.indexOf(id);
      if (at < 0) return;
      queue.splice(at, 1);
      if (id === timed) stopClock();
      arm();
    },
    reset() {
      const held = queue;
      queue = [];
      up = false;
      stopClock();
      return held;
    },
  };
}
