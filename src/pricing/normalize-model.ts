// Model names as logs spell them → the id a price table keys on. Pure. Handles a router's or cloud's prefix
// (anthropic/…, openrouter/anthropic/…, us.anthropic.…, deepseek-ai/…), Claude Code's cost-state suffix
// ([1m]), version dots (claude-opus-4.8), the old word order (claude-4.7-opus), a minor version 0
// (claude-sonnet-4-0), snapshot dates (-20260416, @20260416), -latest and Bedrock's -v1:0. Case is folded, so
// MiniMax-M2.7 and minimax-m2.7 are one model.
import { BEDROCK_GEOGRAPHIES } from './regional-endpoint.ts';

const BRACKET_SUFFIX = /\[[^\]]*\]$/;
const CLOUD_VENDOR_PREFIX = new RegExp(
  `^(?:(?:${[...BEDROCK_GEOGRAPHIES, 'global'].join('|')})\\.)?anthropic\\.`,
);
const BEDROCK_VERSION = /-v\d+(?::\d+)?$/;
const VERTEX_SNAPSHOT = /@[^@]*$/;
const DATE_SUFFIX = /-(?:\d{8}|latest)$/;
const FAMILY = '(opus|sonnet|haiku|fable|mythos)';
/** claude-4-7-opus… → claude-opus-4-7… (from Claude 4 on, the family comes first). */
const VERSION_FIRST = new RegExp(`^claude-(\\d+(?:-\\d+)*)-${FAMILY}(?=-|$)`);
/** claude-haiku-3-5… → claude-3-5-haiku… (Claude 3 ids put the version first). */
const FAMILY_FIRST_3 = new RegExp(`^claude-${FAMILY}-(3(?:-\\d+)?)(?=-|$)`);
/** claude-opus-4-0… → claude-opus-4…: a minor version 0 is the major version (the models overview's aliases
 * claude-opus-4-0 and claude-sonnet-4-0 name Opus 4 and Sonnet 4). */
const MINOR_ZERO = new RegExp(`^(claude-${FAMILY}-\\d+)-0(?=-|$)`);

export function normalizeModel(name: string): string {
  let s = name.trim().toLowerCase();
  while (BRACKET_SUFFIX.test(s)) s = s.replace(BRACKET_SUFFIX, '');
  s = s.slice(s.lastIndexOf('/') + 1);
  s = s.replace(CLOUD_VENDOR_PREFIX, '').replace(VERTEX_SNAPSHOT, '').replace(BEDROCK_VERSION, '');
  // Dots only between digits: a version (4.8, k2.6, m2.7), never a separator of words.
  while (/\d\.\d/.test(s)) s = s.replace(/(\d)\.(\d)/g, '$1-$2');
  s = s.replace(VERSION_FIRST, (whole, version: string, family: string) =>
    Number(version.split('-')[0]) >= 4 ? `claude-${family}-${version}` : whole,
  );
  s = s.replace(FAMILY_FIRST_3, (_, family: string, version: string) => `claude-${version}-${family}`);
  return s.replace(MINOR_ZERO, '$1').replace(DATE_SUFFIX, '');
}
