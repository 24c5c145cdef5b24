import { describe, expect, it } from 'vitest';
import { inFileOrder, SkipCounter } from './skip-counter.ts';

describe('SkipCounter', () => {
  it('counts every skip and keeps the first examples with the order they were added at', () => {
    const skips = new SkipCounter(2);
    skips.order = 3;
    skips.add('invalid_json', 'a:1');
    skips.add('invalid_json', 'a:4');
    skips.order = 5;
    skips.add('bad_timestamp', 'b:2');
    skips.add('wrong_type', undefined, 7);
    expect(skips.counts).toEqual({ invalid_json: 2, bad_timestamp: 1, wrong_type: 7 });
    expect(skips.examples).toEqual(['a:1 (invalid_json)', 'a:4 (invalid_json)']);
    expect(skips.exampleOrder).toEqual([3, 3]);
  });
});

describe('inFileOrder', () => {
  it("merges threads' examples by their files' places in the pass, one file's lines in their order", () => {
    const reader = { examples: ['f2:1', 'f2:9', 'f5:3'], order: [2, 2, 5] };
    const writer = { examples: ['f0:4', 'f3:1', 'f6:2'], order: [0, 3, 6] };
    expect(inFileOrder([reader, writer])).toEqual(['f0:4', 'f2:1', 'f2:9', 'f3:1', 'f5:3', 'f6:2']);
    expect(inFileOrder([])).toEqual([]);
  });
});
