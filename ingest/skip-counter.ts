// Counts skipped input per reason and keeps the first few locations, for the one summary line a pass logs.
// Skips that every later pass meets again while their cause lasts (a problem of discovery, a file that cannot
// be opened) are also listed whole, so that a watcher can tell them from new ones; a skipped line never
// recurs, its bytes being read once.
export class SkipCounter {
  readonly counts: Record<string, number> = {};
  readonly examples: string[] = [];
  /** Every recurring skip, as `where (reason)`. */
  readonly recurring: string[] = [];
  readonly maxExamples: number;

  constructor(maxExamples = 5) {
    this.maxExamples = maxExamples;
  }

  add(reason: string, where?: string, n = 1, recurs = false): void {
    this.counts[reason] = (this.counts[reason] ?? 0) + n;
    if (where === undefined) return;
    if (this.examples.length < this.maxExamples) this.examples.push(`${where} (${reason})`);
    if (recurs) this.recurring.push(`${where} (${reason})`);
  }

  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
}
