// The hand-grouped integers must print exactly what Intl.NumberFormat('en-US') prints.
import { describe, expect, it } from 'vitest';
import { formatBytes, formatCompact, formatInt, formatUsd } from './number.ts';

const intl = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const intlUsd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** Deterministic values over every magnitude, both signs, halves and near-halves of a cent. */
function samples(): number[] {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const out = [0, -0, 0.5, -0.5, 1.5, 2.5, 0.005, 0.015, 0.125, -0.125, 1.005, 999.995, 1e15 - 1, 1e15, 1e21];
  out.push(NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER, -0.001, -0.004999, 0.0049999);
  for (let i = 0; i < 20_000; i++) {
    const magnitude = 10 ** Math.floor(random() * 17 - 2);
    const v = random() * magnitude * (random() < 0.2 ? -1 : 1);
    out.push(v, Math.round(v), Math.round(v * 100) / 100, Math.floor(v * 1000) / 1000 + 0.005);
  }
  return out;
}

describe('number formatting', () => {
  it('groups integers exactly as Intl does', () => {
    for (const v of samples()) expect(formatInt(v), String(v)).toBe(intl.format(Math.round(v)));
    expect(formatInt(987654321)).toBe('987,654,321');
    expect(formatInt(-1234.4)).toBe('-1,234');
  });

  it('prints dollars to the cent exactly as Intl does', () => {
    for (const v of samples()) expect(formatUsd(v), String(v)).toBe(intlUsd.format(v));
    expect(formatUsd(1234.5)).toBe('$1,234.50');
    expect(formatUsd(-0.2)).toBe('-$0.20');
  });

  it('compact axis labels and byte sizes', () => {
    expect(formatCompact(1_250_000)).toBe('1.3M');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(32 * 1024 + 200)).toBe('32 KB');
    expect(formatBytes(1.5 * 1024 * 1024)).toBe('1.5 MB');
  });
});
