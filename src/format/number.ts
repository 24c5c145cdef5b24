// The one place numbers become text: exact comma-grouped integers, USD to the cent, compact axis labels.
// The formatters are built on first use: building them costs milliseconds that `ctm report --json` never needs.
let grouped: Intl.NumberFormat | undefined;
let usd: Intl.NumberFormat | undefined;
let compact: Intl.NumberFormat | undefined;

export function formatInt(n: number): string {
  grouped ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  return grouped.format(Math.round(n));
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
