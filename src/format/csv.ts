// CSV as RFC 4180 writes it: a header row, CRLF line ends, a field quoted when it holds a comma, a quote, CR or
// LF, quotes inside doubled. Numbers are plain digits (no grouping, no exponent, every digit JavaScript keeps),
// dates ISO 8601 in UTC, booleans true/false, null and undefined empty. A text field that starts with = + - @,
// a tab or CR gets a leading ' so a spreadsheet shows it as text instead of running it as a formula
// (OWASP's "CSV injection"); numbers are never prefixed.

export type CsvValue = string | number | boolean | Date | null | undefined;

/** The characters a spreadsheet may take as the start of a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A finite number as plain decimal digits: String() but with any exponent written out. */
export function plainNumber(n: number): string {
  if (!Number.isFinite(n)) return '';
  const s = String(n);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const negative = s.startsWith('-');
  const mantissa = s.slice(negative ? 1 : 0, e);
  const exponent = Number(s.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  // Where the decimal point falls in `digits` once the exponent is applied.
  const point = (dot < 0 ? mantissa.length : dot) + exponent;
  let out: string;
  if (point <= 0) out = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = digits.slice(0, point) + '.' + digits.slice(point);
  return (negative ? '-' : '') + out;
}

/** One field as it stands in a CSV line. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return plainNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole CSV document: the header row, then one line per row, each line ended by CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  let out = header.map(csvField).join(',') + '\r\n';
  for (const row of rows) out += row.map(csvField).join(',') + '\r\n';
  return out;
}
