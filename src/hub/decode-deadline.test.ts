import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDecodeDeadline } from './decode-deadline.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function watch(ms = 1000) {
  const expired: number[] = [];
  return { expired, deadline: createDecodeDeadline(ms, (id) => expired.push(id)) };
}

describe('the decode deadline', () => {
  it('names the body first in line once it has been decoded for the whole deadline', () => {
    const { expired, deadline } = watch();
    deadline.ready();
    deadline.posted(1);
    deadline.posted(2);
    vi.advanceTimersByTime(999);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual([1]);
    vi.advanceTimersByTime(10_000);
    expect(expired).toEqual([1]);
  });

  it('times each body from when the one before it is answered, not from when it was posted', () => {
    const { expired, deadline } = watch();
    deadline.ready();
    deadline.posted(1);
    deadline.posted(2);
    vi.advanceTimersByTime(900);
    deadline.answered(1);
    vi.advanceTimersByTime(900);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(expired).toEqual([2]);
  });

  it('does not count the time a new thread takes to start', () => {
    const { expired, deadline } = watch();
    deadline.posted(1);
    vi.advanceTimersByTime(5000);
    expect(expired).toEqual([]);
    deadline.ready();
    vi.advanceTimersByTime(1000);
    expect(expired).toEqual([1]);
  });

  it('ignores an answer for a body it does not hold, and stops with nothing left', () => {
    const { expired, deadline } = watch();
    deadline.ready();
    deadline.posted(1);
    deadline.answered(7);
    deadline.answered(1);
    vi.advanceTimersByTime(5000);
    expect(expired).toEqual([]);
  });

  it('hands back what it held on reset and times nothing until the thread is ready again', () => {
    const { expired, deadline } = watch();
    deadline.ready();
    deadline.posted(1);
    deadline.posted(2);
    expect(deadline.reset()).toEqual([1, 2]);
    deadline.posted(3);
    vi.advanceTimersByTime(5000);
    expect(expired).toEqual([]);
    deadline.answered(1);
    deadline.ready();
    vi.advanceTimersByTime(1000);
    expect(expired).toEqual([3]);
  });
});
