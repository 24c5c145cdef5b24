// The one place numbers become text: exact comma-grouped integers, USD to the cent, compact axis labels.
// Integers are what every report page prints most, so they are grouped by hand: the same text as
// Intl.NumberFormat('en-US') (the tests compare them) in less than half the time. Intl formats the rest; its
// formatters are built on first use, which `ctm report --json` never needs.
let grouped: Intl.NumberFormat | undefined;
let usd: Intl.NumberFormat | undefined;
let compact: Intl.NumberFormat | undefined;

/** Digits of a non-negative integer string with a comma every three from the right. */
function groupDigits(digits: string): string {
  const head = digits.length % 3 || 3;
  let out = digits.slice(0, head);
  for (let i = head; i < digits.length; i += 3) out += ',' + digits.slice(i, i + 3);
  return out;
}

/** Below this, String() prints an integer as plain digits, never with an exponent. */
const PLAIN_LIMIT = 1e15;

export function formatInt(n: number): string {
  const r = Math.round(n);
  if (!(Math.abs(r) < PLAIN_LIMIT)) {
    grouped ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
    return grouped.format(r);
  }
  const negative = r < 0 || Object.is(r, -0);
  return (negative ? '-' : '') + groupDigits(String(Math.abs(r)));
}

export function formatUsd(n: number): string {
  usd ??= new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  return usd.format(n);
}

export function formatCompact(n: number): string {
  compact ??= new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
  return compact.format(n);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = -1;
  do {
    v /= 1024;
    i++;
  } while (v >= 1024 && i < units.length - 1);
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
