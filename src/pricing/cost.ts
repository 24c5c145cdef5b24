// The token part of a request's cost, pure. A tier follows Anthropic's long-context rule: when the request's
// whole input (input + cache writes + cache reads) exceeds the tier's threshold, every token of the request,
// output included, is billed at the tier's rates; of several tiers the highest one exceeded applies.
import type { ModelPrice, PeakHours, Rates } from './pricing-schema.ts';

export interface TokenCounts {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
}

export function totalInput(t: TokenCounts): number {
  return t.input + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead;
}

export function ratesFor(price: ModelPrice, tokens: TokenCounts): Rates {
  const total = totalInput(tokens);
  let rates: Rates = price;
  let reached = 0;
  for (const tier of price.tiers) {
    if (total > tier.above && tier.above > reached) {
      rates = tier;
      reached = tier.above;
    }
  }
  return rates;
}

/** USD for the tokens at these per-million rates. */
export function tokenCostUsd(t: TokenCounts, r: Rates): number {
  return (
    (t.input * r.input +
      t.output * r.output +
      t.cacheWrite5m * r.cacheWrite5m +
      t.cacheWrite1h * r.cacheWrite1h +
      t.cacheRead * r.cacheRead) /
    1_000_000
  );
}

/** 1 inside the peak hours (or without a scheme), the off-peak multiplier outside them. By UTC clock. */
export function peakMultiplier(peak: PeakHours | undefined, ts: number): number {
  if (!peak) return 1;
  const d = new Date(ts);
  const hour = d.getUTCHours() + d.getUTCMinutes() / 60 + d.getUTCSeconds() / 3600;
  const onDay = !peak.weekdays || peak.weekdays.includes(d.getUTCDay());
  const inHours = peak.utcHours.some(([from, to]) => hour >= from && hour < to);
  return onDay && inHours ? 1 : peak.offPeakMultiplier;
}
