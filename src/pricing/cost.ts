// The cost of one API response in USD. Pure. Long context follows Anthropic's rule: when the model has
// above-200k rates and the request's whole input (input + cache writes + cache reads) exceeds the threshold,
// every token of the request is billed at those rates. Fast mode multiplies the result.
import type { ModelPrice } from './pricing-schema.ts';

export interface TokenCounts {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
}

export function costUsd(
  tokens: TokenCounts,
  price: ModelPrice,
  speed: string | null,
  threshold = 200_000,
): number {
  const totalInput = tokens.input + tokens.cacheWrite5m + tokens.cacheWrite1h + tokens.cacheRead;
  const rates = price.above200k && totalInput > threshold ? price.above200k : price;
  const micro =
    tokens.input * rates.input +
    tokens.output * rates.output +
    tokens.cacheWrite5m * rates.cacheWrite5m +
    tokens.cacheWrite1h * rates.cacheWrite1h +
    tokens.cacheRead * rates.cacheRead;
  const multiplier = speed === 'fast' ? (price.fastMultiplier ?? 1) : 1;
  return (micro / 1_000_000) * multiplier;
}
