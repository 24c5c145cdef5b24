// Loads the shipped price table and merges CTM_PRICING_FILE over it (same shape; its models add or replace).
// A broken override file is a configuration error naming the variable, never a silent fallback to $0.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { ConfigError } from '../config.ts';
import { pricingFileSchema, type PriceTable, type PricingFile } from './pricing-schema.ts';

const shippedPath = new URL('./anthropic.json', import.meta.url);

function parsePricing(text: string, source: string, setting: string): PricingFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(setting, `${source} is not valid JSON (${(error as Error).message})`);
  }
  const result = v.safeParse(pricingFileSchema, json);
  if (!result.success) {
    const issue = result.issues[0];
    const where = issue ? v.getDotPath(issue) : '';
    throw new ConfigError(
      setting,
      `${source} has a bad entry${where ? ` at ${where}` : ''}: ${issue?.message}`,
    );
  }
  return result.output;
}

export function loadPricing(overridePath?: string): PriceTable & { hash: string } {
  const shippedText = readFileSync(shippedPath, 'utf8');
  const shipped = parsePricing(shippedText, 'pricing/anthropic.json', 'pricing/anthropic.json');
  const models = new Map(Object.entries(shipped.models));
  let threshold = shipped.longContextThreshold ?? 200_000;
  const hash = createHash('sha256').update(shippedText);
  if (overridePath) {
    let text: string;
    try {
      text = readFileSync(overridePath, 'utf8');
    } catch (error) {
      throw new ConfigError('CTM_PRICING_FILE', `cannot read ${overridePath} (${(error as Error).message})`);
    }
    const override = parsePricing(text, overridePath, 'CTM_PRICING_FILE');
    for (const [id, price] of Object.entries(override.models)) models.set(id, price);
    threshold = override.longContextThreshold ?? threshold;
    hash.update(text);
  }
  return { longContextThreshold: threshold, models, hash: hash.digest('hex').slice(0, 16) };
}
