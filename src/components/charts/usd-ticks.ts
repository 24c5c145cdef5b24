// Tick labels of a dollar axis: as many decimals as the step needs, never fewer than cents below $10 (a step of
// $0.025 reads $0.025, $0.05, $0.075, not $0.03, $0.05, $0.07), whole dollars for whole steps, compact from $1,000.
import { formatCompact } from '../../format/number.ts';

function decimalsOf(step: number): number {
  for (let d = 0; d < 6; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return d;
  }
  return 6;
}

export function usdTicks(values: readonly number[], step: number): string[] {
  const decimals = decimalsOf(step);
  return values.map((v) => {
    if (Math.abs(v) >= 1000) return `$${formatCompact(v)}`;
    if (decimals === 0) return `$${v.toFixed(0)}`;
    // Cents always shown; further decimals only where the value has them.
    const text = v.toFixed(Math.max(2, decimals));
    return `$${text.replace(/(\.\d\d\d*?)0+$/, '$1')}`;
  });
}
