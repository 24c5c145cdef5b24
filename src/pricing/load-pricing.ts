// Loads the shipped price table and merges CTM_PRICING_FILE over it: ctm's own format or LiteLLM's
// model_prices_and_context_window.json (detected by its per-token fields); its models add or replace.
// A broken override file is a configuration error naming the variable, never a silent fallback to $0.
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { ConfigError } from '../config.ts';
import { pricingFileSchema, type PriceTable, type PricingFile } from './pricing-schema.ts';
import { buildPriceTable, type PricingSource } from './build-price-table.ts';
import { fromLiteLlm, isLiteLlmFormat } from './litellm-format.ts';

export const shippedPath = new URL('./anthropic.json', import.meta.url);
/** Bumped when the cost rules change, so the index is repriced even if no file changed. */
export const PRICING_RULES_VERSION = '5';

export function parsePricingJson(json: unknown, source: string, setting: string): PricingFile {
  if (isLiteLlmFormat(json)) return fromLiteLlm(json as Record<string, unknown>, source, setting);
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

export function parsePricingText(text: string, source: string, setting: string): PricingFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(setting, `${source} is not valid JSON (${(error as Error).message})`);
  }
  return parsePricingJson(json, source, setting);
}

/** The override's text. Only a regular file is one: opened without blocking and checked first, so a FIFO
 * (which would wait for a writer forever) or a directory is a clear error. */
export function readOverride(overridePath: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(overridePath, constants.O_RDONLY | constants.O_NONBLOCK);
    if (!fstatSync(fd).isFile()) throw new Error('not a regular file');
    return readFileSync(fd, 'utf8');
  } catch (error) {
    throw new ConfigError('CTM_PRICING_FILE', `cannot read ${overridePath} (${(error as Error).message})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function loadPricing(overridePath?: string): PriceTable & { hash: string } {
  const shippedText = readFileSync(shippedPath, 'utf8');
  const setting = 'pricing/anthropic.json';
  // The shipped table is not run through the schema on every start (6 ms): a test checks that the schema
  // passes it unchanged.
  const sources: PricingSource[] = [{ file: JSON.parse(shippedText) as PricingFile, name: setting, setting }];
  const hash = createHash('sha256').update(`rules ${PRICING_RULES_VERSION}\n`).update(shippedText);
  if (overridePath) {
    const text = readOverride(overridePath);
    sources.push({
      file: parsePricingText(text, overridePath, 'CTM_PRICING_FILE'),
      name: overridePath,
      setting: 'CTM_PRICING_FILE',
    });
    hash.update('\0').update(text);
  }
  return { ...buildPriceTable(sources), hash: hash.digest('hex').slice(0, 16) };
}
