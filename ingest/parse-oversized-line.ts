// A line too long to hold in memory is kept as its first and last bytes only. Claude Code puts the bulky
// part (message.content) in the middle, so the accounting fields are recoverable: the top-level and message
// fields before "content" from the head, and "usage" plus the fields after "message" from the tail.
import { decodeLine, toEvent, type LineResult } from './parse-line.ts';

/** Index just past the JSON value starting at `start` (object, array, string or literal), or -1. */
export function jsonValueEnd(s: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) {
        inString = false;
        if (depth === 0) return i + 1;
      }
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return i + 1;
      if (depth < 0) return i;
    } else if (depth === 0 && (c === 44 || c === 125)) return i;
  }
  return -1;
}

function parseObjectPrefix(text: string): Record<string, unknown> | undefined {
  // `{"a":1,"b":2,` → {a:1,b:2}
  const trimmed = text.replace(/,\s*$/, '');
  try {
    const value: unknown = JSON.parse(trimmed.endsWith('{') ? trimmed + '}' : trimmed + '}');
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The top-level "type" when it is among the top-level fields that end inside the head, else undefined. */
export function topLevelType(head: string): string | undefined {
  const ws = /\s*/y;
  const skip = (at: number): number => {
    ws.lastIndex = at;
    ws.test(head);
    return ws.lastIndex;
  };
  let i = skip(0);
  if (head[i] !== '{') return undefined;
  i = skip(i + 1);
  while (head[i] === '"') {
    const keyEnd = jsonValueEnd(head, i);
    if (keyEnd < 0) return undefined;
    const colon = skip(keyEnd);
    if (head[colon] !== ':') return undefined;
    const valueStart = skip(colon + 1);
    const valueEnd = jsonValueEnd(head, valueStart);
    if (valueEnd < 0) return undefined;
    if (head.slice(i, keyEnd) === '"type"') {
      try {
        const value: unknown = JSON.parse(head.slice(valueStart, valueEnd));
        return typeof value === 'string' ? value : undefined;
      } catch {
        return undefined;
      }
    }
    i = skip(valueEnd);
    if (head[i] !== ',') return undefined;
    i = skip(i + 1);
  }
  return undefined;
}

export function parseOversizedLine(headBytes: Uint8Array, tailBytes: Uint8Array): LineResult {
  const head = decodeLine(headBytes.subarray(0, lastCharBoundary(headBytes)));
  const tail = decodeLine(tailBytes.subarray(firstCharBoundary(tailBytes)));
  const fail: LineResult = { kind: 'skipped', reason: 'oversized_unparsed' };
  if (head === undefined || tail === undefined) return fail;
  // A huge line of another type (a progress line carrying a subagent's output) is ignored, not a skip.
  const type = topLevelType(head);
  if (type !== undefined && type !== 'assistant' && type !== 'cost-state')
    return { kind: 'ignored', why: 'other_type', type };

  const messageAt = head.indexOf('"message":{');
  if (messageAt < 0) return fail;
  const top = parseObjectPrefix(head.slice(0, messageAt));
  const contentAt = head.indexOf('"content":', messageAt);
  const message = parseObjectPrefix(
    '{' + head.slice(messageAt + '"message":{'.length, contentAt < 0 ? undefined : contentAt),
  );
  if (!top || !message) return fail;

  const usageAt = tail.lastIndexOf('"usage":{');
  if (usageAt < 0) return fail;
  const usageEnd = jsonValueEnd(tail, usageAt + '"usage":'.length);
  if (usageEnd < 0) return fail;
  let usage: unknown;
  try {
    usage = JSON.parse(tail.slice(usageAt + '"usage":'.length, usageEnd));
  } catch {
    return fail;
  }
  // After usage: optional further message fields (kept: a later key wins, as in a whole parse), the `}`
  // closing message, then the remaining top-level fields.
  const later: Record<string, unknown> = {};
  let i = usageEnd;
  while (i < tail.length && tail[i] === ',') {
    const keyEnd = jsonValueEnd(tail, i + 1);
    if (keyEnd < 0 || tail[keyEnd] !== ':') return fail;
    const valueEnd = jsonValueEnd(tail, keyEnd + 1);
    if (valueEnd < 0) return fail;
    try {
      later[JSON.parse(tail.slice(i + 1, keyEnd)) as string] = JSON.parse(tail.slice(keyEnd + 1, valueEnd));
    } catch {
      return fail;
    }
    i = valueEnd;
  }
  if (tail[i] !== '}') return fail;
  let rest: Record<string, unknown> = {};
  const after = tail.slice(i + 1).trimEnd();
  if (after.startsWith(',')) {
    try {
      rest = JSON.parse('{' + after.slice(1)) as Record<string, unknown>;
    } catch {
      return fail;
    }
  } else if (after !== '}') return fail;
  const result = toEvent({ ...top, ...rest, message: { ...message, usage, ...later } });
  // A field may be in the middle that is not kept (between the content and usage): not known to be missing.
  return result.kind === 'skipped' && result.reason === 'missing_field' ? fail : result;
}

function lastCharBoundary(bytes: Uint8Array): number {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1]! & 0xc0) === 0x80) end--;
  return end > 0 && bytes[end - 1]! >= 0xc0 ? end - 1 : bytes.length;
}

function firstCharBoundary(bytes: Uint8Array): number {
  let start = 0;
  while (start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
  return start;
}
