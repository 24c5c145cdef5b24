// Counts skipped input per reason and keeps the first few locations, for the one summary line a pass logs.
// Skips that every later pass meets again while their cause lasts (a problem of discovery, a file that cannot
// be opened) are also listed whole, so that a watcher can tell them from new ones; a skipped line never
// recurs, its bytes being read once.
export class SkipCounter {
  readonly counts: Record<string, number> = {};
  readonly examples: string[] = [];
  /** For each example, the `order` set when it was added (a parallel pass sets the file's place in the pass,
   *  so the examples of its threads can be listed in file order, as a one-thread pass lists them). */
  readonly exampleOrder: number[] = [];
  order = 0;
  /** Every recurring skip, as `where (reason)`. */
  readonly recurring: string[] = [];
  readonly maxExamples: number;

  constructor(maxExamples = 5) {
    this.maxExamples = maxExamples;
  }

  add(reason: string, where?: string, n = 1, recurs = false): void {
    this.counts[reason] = (this.counts[reason] ?? 0) + n;
    if (where === undefined) return;
    if (this.examples.length < this.maxExamples) {
      this.examples.push(`${where} (${reason})`);
      this.exampleOrder.push(this.order);
    }
    if (recurs) this.recurring.push(`${where} (${reason})`);
  }

  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
}

/** The examples of several counters (each thread's of a parallel pass, each in its files' order) in the order
 *  of their files in the pass: the first of them are then a one-thread pass's first examples. */
export function inFileOrder(
  lists: readonly { examples: readonly string[]; order: readonly number[] }[],
): string[] {
  return lists
    .flatMap(({ examples, order }) => examples.map((example, i) => ({ example, at: order[i]! })))
    .sort((a, b) => a.at - b.at) // stable: one file's examples keep their lines' order
    .map(({ example }) => example);
}
