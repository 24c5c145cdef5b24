// Counts skipped input per reason and keeps the first few locations, for the one summary line a pass logs.
export class SkipCounter {
  readonly counts: Record<string, number> = {};
  readonly examples: string[] = [];
  readonly maxExamples: number;

  constructor(maxExamples = 5) {
    this.maxExamples = maxExamples;
  }

  add(reason: string, where?: string, n = 1): void {
    this.counts[reason] = (this.counts[reason] ?? 0) + n;
    if (where !== undefined && this.examples.length < this.maxExamples)
      this.examples.push(`${where} (${reason})`);
  }

  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
}
